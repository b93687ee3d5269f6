import { ConfigError, RunDirectoryError } from "../core/errors.js";
import type { StageName, StageRecord } from "./run-directory.js";
import type { RunOptions } from "./run-options.js";

/** One of `count` parts of a run: `--shard index/count`, index in [0, count). */
export interface Shard {
  index: number;
  count: number;
}

/** The stages that work on their shard's part of the topics; the others (taxonomy, index) always see everything. */
export const SHARDED_STAGES: ReadonlySet<StageName> = new Set(["topics", "retrieve", "pack"]);

/** "i/N" as in `--shard 1/4`. */
export function shardLabel(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/**
 * Parses `--shard i/N` and refuses `maxDocUses`: a document's use count crosses topics, so
 * shards cannot keep it. Undefined when the run is not sharded.
 */
export function shardOfRun(options: Pick<RunOptions, "shard" | "maxDocUses">): Shard | undefined {
  if (options.shard === undefined) return undefined;
  const match = /^(\d+)\/(\d+)$/.exec(options.shard);
  const problems: string[] = [];
  if (!match) throw new ConfigError([`shard: "${options.shard}" is not i/N (e.g. 0/2: the first of two shards)`]);
  const shard = { index: Number(match[1]), count: Number(match[2]) };
  if (shard.count < 1) problems.push(`shard: "${options.shard}": N must be at least 1`);
  else if (shard.index >= shard.count) problems.push(`shard: "${options.shard}": i must be in 0..${shard.count - 1} (shards are numbered from 0)`);
  if (options.maxDocUses !== undefined) problems.push("maxDocUses: counts document uses across all topics, so it cannot be split into shards; drop --max-doc-uses or --shard");
  if (problems.length > 0) throw new ConfigError(problems);
  return shard;
}

/**
 * Topic number `position` (0-based, in topics.jsonl order of the whole run) belongs to shard
 * `position mod N`: round-robin keeps shards balanced, and merging is a plain interleave.
 * Heading topics are one per subject in taxonomy order, so this splits by subject.
 */
export function ownsTopic(shard: Shard, position: number): boolean {
  return position % shard.count === shard.index;
}

/** The shard an upstream stage was made for, as recorded in its manifest record. */
export function recordedShard(record: StageRecord): Shard | undefined {
  return record.shard === undefined ? undefined : { index: record.shard.index, count: record.shard.count };
}

/**
 * A stage of shard i/N reads an upstream stage made for the whole run (it then takes its part)
 * or for the same shard (already its part); anything else would mix parts of different splits.
 */
export function requireCompatibleShard(root: string, stage: StageName, upstream: StageName, record: StageRecord, shard: Shard | undefined): void {
  const made = recordedShard(record);
  if (made === undefined) return;
  if (shard === undefined || made.index !== shard.index || made.count !== shard.count) {
    const asked = shard === undefined ? "without --shard" : `with --shard ${shardLabel(shard)}`;
    throw new RunDirectoryError(`${root}: the ${upstream} stage was made for shard ${shardLabel(made)}, so ${stage} cannot run ${asked}; pass --shard ${shardLabel(made)} (or redo ${upstream} with --force)`);
  }
}

/** The items a stage of `shard` works on: all when its input is already that shard's part (or the run is whole). */
export function shardPart<T>(items: readonly T[], shard: Shard | undefined, inputIsShardPart: boolean): T[] {
  if (shard === undefined || inputIsShardPart) return [...items];
  return items.filter((_, position) => ownsTopic(shard, position));
}
