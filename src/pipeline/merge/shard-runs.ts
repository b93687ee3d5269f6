import { RunDirectoryError } from "../../core/errors.js";
import { stableStringify } from "../../core/stable-json.js";
import { RunDirectory, type Manifest, type StageName } from "../run-directory.js";
import { recordedShard, shardLabel } from "../shard.js";

/** One shard's run directory with its manifest. */
export interface ShardRun {
  run: RunDirectory;
  manifest: Manifest;
  index: number;
}

/** The shard runs of one split, checked to fit together, in shard order. */
export interface ShardSplit {
  runs: ShardRun[];
  count: number;
  /** Every completed stage, in the manifests' order. */
  stages: StageName[];
  /** The stages each shard made only its part of. */
  sharded: Set<StageName>;
}

/**
 * Reads the runs of `litelong merge` and checks that they are the N shards of one run: each
 * made with `--shard i/N` for one i, every i in 0..N-1 exactly once, the same configuration and
 * versions, the same completed stages, and identical outputs for the stages they did not split.
 * Every problem is a RunDirectoryError naming the run directory.
 */
export async function readShardSplit(roots: string[]): Promise<ShardSplit> {
  if (roots.length === 0) throw new RunDirectoryError("merge needs the run directories of every shard (litelong merge <out> <shardRun>...)");
  const runs: ShardRun[] = [];
  let count: number | undefined;
  for (const root of roots) {
    const run = new RunDirectory(root);
    const manifest = await run.readManifest();
    if (!manifest) throw new RunDirectoryError(`${run.root}: not a litelong run (no manifest.json)`);
    const shards = Object.values(manifest.stages).flatMap((record) => (record ? [recordedShard(record)] : [])).filter((shard) => shard !== undefined);
    if (shards.length === 0) throw new RunDirectoryError(`${run.root}: not a shard run: none of its stages was made with --shard`);
    const labels = new Set(shards.map(shardLabel));
    if (labels.size > 1) throw new RunDirectoryError(`${run.root}: its stages were made for different shards (${[...labels].join(", ")})`);
    count ??= shards[0]!.count;
    if (shards[0]!.count !== count) throw new RunDirectoryError(`${run.root}: shard ${shardLabel(shards[0]!)} is of a split into ${shards[0]!.count}, not ${count} like ${runs[0]!.run.root}`);
    const twin = runs.find((other) => other.index === shards[0]!.index);
    if (twin) throw new RunDirectoryError(`${run.root}: shard ${shardLabel(shards[0]!)} is given twice (also ${twin.run.root})`);
    runs.push({ run, manifest, index: shards[0]!.index });
  }
  const missing = [...Array(count!).keys()].filter((index) => !runs.some((run) => run.index === index));
  if (missing.length > 0) throw new RunDirectoryError(`missing shard${missing.length > 1 ? "s" : ""} ${missing.map((index) => `${index}/${count}`).join(", ")}: merge needs the run directory of every shard`);
  runs.sort((a, b) => a.index - b.index);
  return checkSameRun(runs, count!);
}

/** The runs agree on everything but their part of the topics. */
function checkSameRun(runs: ShardRun[], count: number): ShardSplit {
  const first = runs[0]!;
  const stages = Object.keys(first.manifest.stages) as StageName[];
  const sharded = new Set(stages.filter((stage) => first.manifest.stages[stage]!.shard !== undefined));
  for (const other of runs.slice(1)) {
    const where = `${other.run.root} (shard ${other.index}/${count}) and ${first.run.root} (shard 0/${count})`;
    const differing = differingKeys(first.manifest.config, other.manifest.config);
    if (differing.length > 0) throw new RunDirectoryError(`${where} were made with different options (${differing.join(", ")}); shards of one run share every option but --shard`);
    if (stableStringify(other.manifest.versions) !== stableStringify(first.manifest.versions)) throw new RunDirectoryError(`${where} were made by different litelong versions`);
    const otherStages = Object.keys(other.manifest.stages);
    if (otherStages.join(",") !== stages.join(",")) throw new RunDirectoryError(`${where} completed different stages (${otherStages.join(", ")} / ${stages.join(", ")}); finish every shard first`);
    for (const stage of stages) {
      const mine = other.manifest.stages[stage]!;
      const theirs = first.manifest.stages[stage]!;
      if ((mine.shard !== undefined) !== sharded.has(stage)) throw new RunDirectoryError(`${where}: the ${stage} stage was made with --shard in one and not in the other`);
      if (!sharded.has(stage) && mine.outputDigest !== theirs.outputDigest) {
        throw new RunDirectoryError(`${where}: the ${stage} stage's outputs differ; shards must make it the same (same corpus files, taxonomy and options)`);
      }
      if (mine.shard && theirs.shard && stage === "topics" && mine.shard.unshardedFingerprint !== theirs.shard.unshardedFingerprint) {
        throw new RunDirectoryError(`${where}: the topics stage was made from different inputs (e.g. a different topics file)`);
      }
    }
  }
  return { runs, count, stages, sharded };
}

/** Top-level option names whose values differ. */
function differingKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => stableStringify(a[key]) !== stableStringify(b[key])).sort();
}
