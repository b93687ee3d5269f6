import { cp, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { temporaryPathFor } from "../../core/atomic-file.js";
import { RunDirectoryError } from "../../core/errors.js";
import { makeDirectory } from "../../core/make-directory.js";
import { packFingerprint, tokenizerIdentity } from "../pack-stage.js";
import { retrieveFingerprint } from "../retrieve-stage.js";
import { RunDirectory, type Manifest, type StageName, type StageRecord } from "../run-directory.js";
import { digestFiles } from "../stage-runner.js";
import { mergeSamples } from "./merge-samples.js";
import { mergeHits, mergeTopics, topicOwners } from "./merge-topics-hits.js";
import { readShardSplit, type ShardSplit } from "./shard-runs.js";

/** What `litelong merge` made. */
export interface MergeSummary {
  out: string;
  shards: number;
  /** Stages joined from the shards' parts; the others were copied from shard 0. */
  merged: StageName[];
  topics: number;
  samples: number;
}

/** What each stage leaves in the run directory (copied whole when the shards did not split it). */
const STAGE_OUTPUTS: Record<StageName, (run: RunDirectory) => string> = {
  taxonomy: (run) => run.subjectsPath,
  index: (run) => run.indexDirectory,
  topics: (run) => join(run.root, "topics"),
  retrieve: (run) => join(run.root, "hits"),
  pack: (run) => run.samplesDirectory,
};

/** The files each split stage's outputDigest covers, as the stages record them. */
const DIGESTED_OUTPUTS: Partial<Record<StageName, (run: RunDirectory) => string[]>> = {
  topics: (run) => [run.topicsPath],
  retrieve: (run) => [run.hitsPath],
  pack: (run) => [run.samplesIndexPath],
};

/**
 * Joins the run directories of the N shards of one run (`--shard i/N`) into `out`, a new run
 * directory equal to the run made without --shard: the same bytes in subjects.jsonl, index/,
 * topics/, hits/ and samples/, and the same manifest but for the wall times, where each split
 * stage records the latest shard's finishedAt and the sum of the shards' seconds. The run is
 * built under a temporary name and renamed into place, so a failed merge leaves nothing.
 */
export async function mergeRuns(out: string, shardRoots: string[]): Promise<MergeSummary> {
  const split = await readShardSplit(shardRoots);
  const target = new RunDirectory(out);
  await requireEmpty(target.root);
  const building = new RunDirectory(temporaryPathFor(target.root));
  await rm(building.root, { recursive: true, force: true });
  await makeDirectory(building.root);
  try {
    const summary = await mergeInto(split, building);
    await rm(target.root, { recursive: true, force: true });
    await rename(building.root, target.root);
    return { ...summary, out: target.root };
  } catch (error) {
    await rm(building.root, { recursive: true, force: true });
    throw error;
  }
}

async function mergeInto(split: ShardSplit, building: RunDirectory): Promise<MergeSummary> {
  const { runs, count, sharded } = split;
  const first = runs[0]!;
  for (const stage of split.stages.filter((each) => !sharded.has(each))) {
    await cp(STAGE_OUTPUTS[stage](first.run), STAGE_OUTPUTS[stage](building), { recursive: true });
  }
  const topics = sharded.has("topics") ? await mergeTopics(runs, building.topicsPath) : await topicOwners(building.topicsPath, count);
  if (sharded.has("retrieve")) await mergeHits(runs, topics, building.hitsPath);
  const packCounts = sharded.has("pack") ? await mergeSamples(runs, new Map(topics.map((topic) => [topic.id, topic.owner])), building.hitsPath, building.samplesDirectory) : undefined;
  const manifest = await mergedManifest(split, building, packCounts);
  await building.writeManifest(manifest);
  return { out: building.root, shards: count, merged: [...sharded], topics: topics.length, samples: manifest.stages.pack?.counts.samples ?? 0 };
}

/** Shard 0's manifest with each split stage's record recomputed for the whole run. */
async function mergedManifest(split: ShardSplit, building: RunDirectory, packCounts: Record<string, number> | undefined): Promise<Manifest> {
  const first = split.runs[0]!.manifest;
  const stages: Manifest["stages"] = {};
  for (const stage of split.stages) stages[stage] = first.stages[stage];
  // Pipeline order, so each split stage's inputs are final before its fingerprint is taken.
  for (const stage of (["topics", "retrieve", "pack"] as const).filter((each) => split.sharded.has(each))) {
    const records = split.runs.map((run) => run.manifest.stages[stage]!);
    const options = records[0]!.options;
    const fingerprint =
      stage === "topics"
        ? records[0]!.shard!.unshardedFingerprint
        : stage === "retrieve"
          ? retrieveFingerprint(stages.topics!, stages.index!, options)
          : packFingerprint(options, await tokenizerIdentity(String(options.tokenizer)), stages.retrieve!);
    stages[stage] = {
      status: "done",
      fingerprint,
      outputDigest: await digestFiles(DIGESTED_OUTPUTS[stage]!(building)),
      finishedAt: records.map((record) => record.finishedAt).sort().at(-1)!,
      seconds: Math.round(records.reduce((sum, record) => sum + record.seconds, 0) * 100) / 100,
      options,
      counts: stage === "pack" ? packCounts! : summedCounts(records),
      facts: records[0]!.facts,
    };
  }
  return { ...first, stages };
}

/** Counts added up over the shards, in shard 0's key order (each shard counts only its part). */
function summedCounts(records: StageRecord[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const record of records) for (const [key, value] of Object.entries(record.counts)) sums[key] = (sums[key] ?? 0) + value;
  return sums;
}

/** `merge` writes a new run directory: it never overwrites one (an empty directory is fine). */
async function requireEmpty(root: string): Promise<void> {
  const entries = await readdir(root).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw new RunDirectoryError(`${root}: cannot use it as the merged run (${error.code ?? error.message})`);
  });
  if (entries.length > 0) throw new RunDirectoryError(`${root}: already exists and is not empty; merge writes a new run directory`);
}
