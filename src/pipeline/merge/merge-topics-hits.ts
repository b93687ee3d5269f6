import { AtomicLineWriter } from "../../core/atomic-file.js";
import { RunDirectoryError } from "../../core/errors.js";
import { readJsonLineEntries, type JsonLineEntry } from "../../core/jsonl-file.js";
import { hitsSchema, topicSchema } from "../../core/record-schemas.js";
import type { Hits, Topic } from "../../core/records.js";
import type { ShardRun } from "./shard-runs.js";

/** A topic of the whole run and the shard that made its hits and samples. */
export interface OwnedTopic {
  id: string;
  kept: boolean;
  owner: number;
}

/**
 * Writes the whole run's topics.jsonl from the shards' parts: topic p of the whole run is line
 * p div N of shard p mod N (see ownsTopic), so merging is a round-robin interleave of the lines,
 * copied as written. Returns the whole run's topics in order.
 */
export async function mergeTopics(runs: ShardRun[], path: string): Promise<OwnedTopic[]> {
  const parts: Array<Array<JsonLineEntry<Topic>>> = [];
  for (const { run } of runs) parts.push(await readEntries(run.topicsPath));
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  parts.forEach((part, index) => {
    const expected = Math.ceil((total - index) / runs.length);
    if (part.length !== expected) {
      throw new RunDirectoryError(`${runs[index]!.run.topicsPath}: ${part.length} topics, but shard ${index}/${runs.length} of ${total} topics has ${expected}; the shards split different topic lists`);
    }
  });
  const writer = await AtomicLineWriter.create(path);
  const topics: OwnedTopic[] = [];
  try {
    for (let position = 0; position < total; position++) {
      const entry = parts[position % runs.length]![Math.floor(position / runs.length)]!;
      await writer.writeLine(entry.line);
      topics.push(ownedTopic(entry.record, position, runs.length));
    }
  } catch (error) {
    await writer.abort();
    throw error;
  }
  await writer.commit();
  return topics;
}

/** The topics of a whole-run topics.jsonl (a stage the shards did not split), with their owners. */
export async function topicOwners(path: string, count: number): Promise<OwnedTopic[]> {
  return (await readEntries(path)).map((entry, position) => ownedTopic(entry.record, position, count));
}

/**
 * Writes the whole run's hits.jsonl: one line per kept topic in topic order, each copied from
 * the shard that owns the topic. A shard whose hits do not follow its topics is an error.
 */
export async function mergeHits(runs: ShardRun[], topics: OwnedTopic[], path: string): Promise<void> {
  const sources = runs.map(({ run }) => ({ path: run.hitsPath, lines: readJsonLineEntries(run.hitsPath, hitsSchema) }));
  const writer = await AtomicLineWriter.create(path);
  try {
    for (const topic of topics.filter((each) => each.kept)) {
      const source = sources[topic.owner]!;
      const next = await source.lines.next();
      if (next.done) throw new RunDirectoryError(`${source.path}: ends before the hits of topic "${topic.id}"; the shard's retrieve stage did not finish its part`);
      if (next.value.record.topicId !== topic.id) throw misplaced(source.path, next.value, topic.id);
      await writer.writeLine(next.value.line);
    }
    for (const source of sources) {
      const extra = await source.lines.next();
      if (!extra.done) throw new RunDirectoryError(`${source.path}:${extra.value.lineNumber}: hits of topic "${extra.value.record.topicId}", which is not a kept topic of this shard`);
    }
  } catch (error) {
    await writer.abort();
    throw error;
  }
  await writer.commit();
}

function misplaced(path: string, entry: JsonLineEntry<Hits>, expected: string): RunDirectoryError {
  return new RunDirectoryError(`${path}:${entry.lineNumber}: hits of topic "${entry.record.topicId}" where the shard's next topic is "${expected}"; the hits do not match the topics`);
}

function ownedTopic(topic: Topic, position: number, count: number): OwnedTopic {
  return { id: topic.id, kept: topic.verdict === "kept", owner: position % count };
}

async function readEntries(path: string): Promise<Array<JsonLineEntry<Topic>>> {
  const entries: Array<JsonLineEntry<Topic>> = [];
  for await (const entry of readJsonLineEntries(path, topicSchema)) entries.push(entry);
  return entries;
}
