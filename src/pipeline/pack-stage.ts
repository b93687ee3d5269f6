import { readJsonLines, readAllJsonLines } from "../core/jsonl-file.js";
import { hitsSchema, topicSchema } from "../core/record-schemas.js";
import type { Hits, Topic } from "../core/records.js";
import { fileDigest } from "../core/file-digest.js";
import { startProgress } from "../core/progress.js";
import { seededShuffle } from "../core/seeded-random.js";
import { hashValue } from "../core/stable-json.js";
import { DocumentStore } from "../corpus/index.js";
import type { ExactBm25Engine } from "../search/exact-bm25-engine.js";
import { loadTokenizer, TOKENIZER_PRESETS } from "../tokenizer/load-tokenizer.js";
import type { Tokenizer } from "../tokenizer/tokenizer.js";
import { openRunIndex } from "./index-stage.js";
import { JsonlSampleWriter } from "./output/jsonl-sample-writer.js";
import { packTopic, type PackCounts, type PackableDocument } from "./pack/pack-topic.js";
import type { RunOptions } from "./run-options.js";
import { runStage, type StageContext, type StageResult } from "./stage-runner.js";

type PackStageOptions = Pick<RunOptions, "length" | "tokenizer" | "samplesPerTopic" | "order" | "seed" | "separator">;

/** Packs each topic's hits into samples of exactly `length` tokens under samples/. */
export async function runPackStage(context: StageContext, options: PackStageOptions): Promise<StageResult> {
  const { run } = context;
  const retrieveStage = await run.requireStage("retrieve", "retrieve");
  const tokenizerIdentity = options.tokenizer in TOKENIZER_PRESETS ? options.tokenizer : await fileDigest(options.tokenizer);
  const stageOptions = { length: options.length, tokenizer: options.tokenizer, samplesPerTopic: options.samplesPerTopic, order: options.order, seed: options.seed, separator: options.separator };
  const fingerprint = hashValue({ ...stageOptions, tokenizer: tokenizerIdentity, retrieve: retrieveStage.fingerprint });
  return runStage(context, "pack", stageOptions, fingerprint, [run.samplesIndexPath], async () => {
    const tokenizer = await loadTokenizer(options.tokenizer);
    try {
      return await packAll(context, options, tokenizer);
    } finally {
      tokenizer.free();
    }
  });
}

async function packAll(context: StageContext, options: PackStageOptions, tokenizer: Tokenizer) {
  const { run } = context;
  const topics = new Map((await readAllJsonLines(run.topicsPath, topicSchema)).map((topic) => [topic.id, topic]));
  const { engine, metadata } = await openRunIndex(run);
  const store = new DocumentStore({ textField: metadata.textField });
  const writer = new JsonlSampleWriter(run.samplesDirectory, tokenizer.name, options.length);
  const documents: PackCounts = { used: 0, duplicate: 0, empty: 0, overflow: 0, shortTail: 0 };
  let topicsWithSamples = 0;
  let topicCount = 0;
  // Different headings can analyse to the same query ("Languages C" / "Languages C++");
  // packing their identical hits again would only duplicate samples.
  const packedHitLists = new Set<string>();
  let duplicateHitLists = 0;
  let skippedCharacters = 0;
  const progress = startProgress({ label: "pack", total: topics.size, unit: "topics" });
  try {
    for await (const hits of readJsonLines(run.hitsPath, hitsSchema)) {
      const topic = topics.get(hits.topicId)!;
      topicCount++;
      progress.advance();
      const hitList = hashValue(hits.docIds);
      if (hits.docIds.length > 0 && packedHitLists.has(hitList)) {
        duplicateHitLists++;
        continue;
      }
      packedHitLists.add(hitList);
      const packed = packTopic(await topicDocuments(hits, topic, engine, store, options), tokenizer, options);
      for (const [n, sample] of packed.samples.entries()) {
        await writer.write({ id: `${topic.id}-s${n}`, topicId: topic.id, subjectId: topic.subjectId, topic: topic.text, tokenizer: tokenizer.name, ...sample });
      }
      for (const key of Object.keys(documents) as Array<keyof PackCounts>) documents[key] += packed.counts[key];
      if (packed.samples.length > 0) topicsWithSamples++;
      skippedCharacters += packed.skippedCharacters;
    }
  } catch (error) {
    await writer.abort();
    throw error;
  } finally {
    progress.stop();
  }
  const index = await writer.finish();
  const documentCounts = Object.fromEntries(Object.entries(documents).map(([fate, count]) => [`documents.${fate}`, count]));
  return {
    counts: { samples: index.samples, tokens: index.tokens, topics: topicCount, topicsWithSamples, topicsWithoutSamples: topicCount - topicsWithSamples, topicsWithSameHits: duplicateHitLists, skippedCharacters, ...documentCounts },
    facts: { tokenizer: tokenizer.name, length: String(options.length) },
  };
}

async function topicDocuments(hits: Hits, topic: Topic, engine: ExactBm25Engine, store: DocumentStore, options: PackStageOptions): Promise<PackableDocument[]> {
  const ids = options.order === "shuffle" ? seededShuffle(hits.docIds, topicSeed(options.seed, topic.id)) : hits.docIds;
  const sources = ids.map((id) => engine.documentSource(id)!);
  const texts = await store.readTexts(sources);
  return ids.map((id, i) => ({ id, text: texts[i]! }));
}

/** A per-topic seed, so one topic's order does not depend on which topics came before it. */
function topicSeed(seed: number, topicId: string): number {
  return parseInt(hashValue({ seed, topicId }).slice(0, 8), 16);
}
