import { AtomicLineWriter } from "../core/atomic-file.js";
import { readAllJsonLines } from "../core/jsonl-file.js";
import { topicSchema } from "../core/record-schemas.js";
import type { Hits } from "../core/records.js";
import { startProgress } from "../core/progress.js";
import { hashValue } from "../core/stable-json.js";
import { openRunIndex } from "./index-stage.js";
import type { RunOptions } from "./run-options.js";
import { runStage, type StageContext, type StageResult } from "./stage-runner.js";
import { dependencyKey, type StageRecord } from "./run-directory.js";
import { requireCompatibleShard, shardPart } from "./shard.js";

/** Topics searched per batch: bounds memory while letting engines batch their work. */
const BATCH_SIZE = 256;

/** The retrieve stage's fingerprint: its topics and index, and the search options it records. */
export function retrieveFingerprint(topicsStage: StageRecord, indexStage: StageRecord, searchOptions: Record<string, unknown>): string {
  return hashValue({ topics: dependencyKey(topicsStage), index: dependencyKey(indexStage), ...searchOptions });
}

/** Runs every kept topic as a BM25 query and writes hits/hits.jsonl, one line per topic. */
export async function runRetrieveStage(context: StageContext, options: Pick<RunOptions, "k" | "match" | "minimumShouldMatch" | "bm25">): Promise<StageResult> {
  const { run } = context;
  const topicsStage = await run.requireStage("topics", "topics");
  const indexStage = await run.requireStage("index", "index");
  requireCompatibleShard(run.root, "retrieve", "topics", topicsStage, context.shard);
  const searchOptions = { k: options.k, match: options.match, minimumShouldMatch: options.minimumShouldMatch, bm25: options.bm25 };
  const fingerprint = retrieveFingerprint(topicsStage, indexStage, searchOptions);
  return runStage(context, "retrieve", searchOptions, fingerprint, [run.hitsPath], async () => {
    const allTopics = await readAllJsonLines(run.topicsPath, topicSchema);
    const topics = shardPart(allTopics, context.shard, topicsStage.shard !== undefined).filter((topic) => topic.verdict === "kept");
    const { engine } = await openRunIndex(run);
    const writer = await AtomicLineWriter.create(run.hitsPath);
    const progress = startProgress({ label: "retrieve", total: topics.length, unit: "topics" });
    let hitCount = 0;
    let emptyTopics = 0;
    try {
      for (let first = 0; first < topics.length; first += BATCH_SIZE) {
        const batch = topics.slice(first, first + BATCH_SIZE);
        const results = await engine.searchMany(batch.map((topic) => topic.text), searchOptions);
        for (const [i, topic] of batch.entries()) {
          const hits = results[i]!;
          const line: Hits = { topicId: topic.id, match: options.match, docIds: hits.map((hit) => hit.docId), scores: hits.map((hit) => hit.score) };
          await writer.writeLine(JSON.stringify(line));
          hitCount += hits.length;
          if (hits.length === 0) emptyTopics++;
        }
        progress.advance(batch.length);
      }
    } catch (error) {
      await writer.abort();
      throw error;
    } finally {
      progress.stop();
      await engine.close();
    }
    await writer.commit();
    return { counts: { topics: topics.length, topicsWithHits: topics.length - emptyTopics, topicsWithoutHits: emptyTopics, hits: hitCount } };
  });
}
