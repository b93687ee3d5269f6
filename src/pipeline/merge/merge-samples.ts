import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { RunDirectoryError } from "../../core/errors.js";
import { readJsonLineEntries, readJsonLines } from "../../core/jsonl-file.js";
import { hitsSchema } from "../../core/record-schemas.js";
import type { Sample } from "../../core/records.js";
import { hashValue } from "../../core/stable-json.js";
import { readJsonlSamples } from "../output/jsonl-sample-reader.js";
import { readMdsSamples } from "../output/mds-reader.js";
import { SampleOutputs, samplesIndexSchema } from "../output/sample-outputs.js";
import { addTopicTally, emptyPackTally, emptyTopicTally, packStageCounts, topicTallySchema, type TopicTally } from "../pack-tally.js";
import { SHARD_TALLIES_FILE } from "../pack-stage.js";
import type { ShardRun } from "./shard-runs.js";

/** The pack options that shape the sample files (the rest shaped the samples themselves). */
const writerOptionsSchema = z.object({ shardSamples: z.number().int().positive(), compress: z.enum(["none", "gzip"]) });

interface ShardSample {
  sample: Sample;
  ids: Uint32Array;
}

/** A shard's samples in order, one ahead, so a topic's samples can be taken while they last. */
class ShardSamples {
  private head: IteratorResult<ShardSample> | undefined;
  private readonly samples: AsyncGenerator<ShardSample>;
  readonly tallies: AsyncGenerator<{ record: TopicTally; lineNumber: number }>;

  constructor(readonly run: ShardRun, formats: Array<"jsonl" | "mds">) {
    this.samples = readShardSamples(run.run.samplesDirectory, formats);
    this.tallies = readJsonLineEntries(this.talliesPath, topicTallySchema);
  }

  get talliesPath(): string {
    return join(this.run.run.samplesDirectory, SHARD_TALLIES_FILE);
  }

  /** Removes and returns the samples at the head that belong to `topicId`. */
  async take(topicId: string): Promise<ShardSample[]> {
    const taken: ShardSample[] = [];
    for (;;) {
      this.head ??= await this.samples.next();
      if (this.head.done || this.head.value.sample.topicId !== topicId) return taken;
      taken.push(this.head.value);
      this.head = undefined;
    }
  }

  async finished(): Promise<boolean> {
    this.head ??= await this.samples.next();
    return this.head.done === true && (await this.tallies.next()).done === true;
  }
}

/**
 * Writes the whole run's samples/ from the shards' samples: topics in hits.jsonl order, each
 * topic's samples from its owner, rewritten through the same writers a whole run uses, so shard
 * files, index.json files and their hashes come out as the whole run's. A topic whose hits equal
 * an earlier topic's on another shard is dropped, as the whole run skips it. Returns the pack
 * stage's counts, recounted from the shards' per-topic tallies.
 */
export async function mergeSamples(runs: ShardRun[], owners: Map<string, number>, hitsPath: string, directory: string): Promise<Record<string, number>> {
  const first = runs[0]!;
  const samplesIndex = samplesIndexSchema.parse(JSON.parse(await readFile(first.run.samplesIndexPath, "utf8")));
  const writerOptions = writerOptionsSchema.parse(first.manifest.stages.pack!.options);
  const outputs = new SampleOutputs({
    directory,
    formats: samplesIndex.formats,
    shardSamples: writerOptions.shardSamples,
    compression: writerOptions.compress,
    tokenizer: samplesIndex.tokenizer,
    length: samplesIndex.length,
    boundaryTokens: samplesIndex.boundaryTokens,
  });
  const sources = runs.map((run) => new ShardSamples(run, samplesIndex.formats));
  const tally = emptyPackTally();
  const packedHitLists = new Set<string>();
  try {
    for await (const hits of readJsonLines(hitsPath, hitsSchema)) {
      const source = sources[owners.get(hits.topicId)!]!;
      const shardTally = await nextTally(source, hits.topicId);
      const samples = await source.take(hits.topicId);
      if (samples.length !== shardTally.samples) throw new RunDirectoryError(`${source.run.run.samplesDirectory}: topic "${hits.topicId}" has ${samples.length} samples, its tally says ${shardTally.samples}`);
      // The whole run skips a topic whose hits an earlier topic (on any shard) already packed.
      const hitList = hashValue(hits.docIds);
      const sameHits = hits.docIds.length > 0 && packedHitLists.has(hitList);
      if (shardTally.sameHits && !sameHits) throw new RunDirectoryError(`${source.talliesPath}: topic "${hits.topicId}" was skipped for hits no earlier topic has; the shard's hits differ from the merged ones`);
      if (sameHits) {
        addTopicTally(tally, { ...emptyTopicTally(hits.topicId), sameHits: true });
        continue;
      }
      packedHitLists.add(hitList);
      addTopicTally(tally, shardTally);
      for (const { sample, ids } of samples) await outputs.write(sample, ids);
    }
    for (const source of sources) {
      if (!(await source.finished())) throw new RunDirectoryError(`${source.run.run.samplesDirectory}: has samples or tallies of topics beyond the shard's hits`);
    }
  } catch (error) {
    await outputs.abort();
    throw error;
  }
  return packStageCounts(await outputs.finish(), tally);
}

async function nextTally(source: ShardSamples, topicId: string): Promise<TopicTally> {
  const next = await source.tallies.next();
  if (next.done) throw new RunDirectoryError(`${source.talliesPath}: ends before topic "${topicId}"; was this shard packed with --shard?`);
  if (next.value.record.topicId !== topicId) {
    throw new RunDirectoryError(`${source.talliesPath}:${next.value.lineNumber}: tally of topic "${next.value.record.topicId}" where the hits have "${topicId}"`);
  }
  return next.value.record;
}

/**
 * A shard's samples in order: each record exactly as written (from the JSONL text shards, else
 * the MDS provenance) with its token ids from the MDS shards (empty when there are none: only
 * the MDS writer needs them). Damage found by the readers is an error naming the file.
 */
async function* readShardSamples(directory: string, formats: Array<"jsonl" | "mds">): AsyncGenerator<ShardSample> {
  const hasMds = formats.includes("mds");
  const records = readJsonlSamples(formats.includes("jsonl") ? join(directory, "jsonl") : join(directory, "mds", "provenance"));
  const tokens = hasMds ? readMdsSamples(join(directory, "mds")) : undefined;
  for await (const entry of records) {
    if ("problem" in entry) throw new RunDirectoryError(`${directory}: ${entry.where}: ${entry.problem}`);
    const mds = await tokens?.next();
    if (mds?.done) throw new RunDirectoryError(`${directory}: fewer MDS samples than sample records (${entry.where} has none)`);
    // Parsed again from the line, not taken from the schema, so keys keep the order they were written in.
    yield { sample: JSON.parse(entry.line) as Sample, ids: mds?.value.inputIds ?? new Uint32Array(0) };
  }
  if (tokens && !(await tokens.next()).done) throw new RunDirectoryError(`${directory}: more MDS samples than sample records`);
}
