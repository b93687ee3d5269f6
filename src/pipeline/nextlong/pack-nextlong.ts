import { rm } from "node:fs/promises";
import { join } from "node:path";
import { readAllJsonLines } from "../../core/jsonl-file.js";
import { hitsSchema } from "../../core/record-schemas.js";
import type { Hits, Topic } from "../../core/records.js";
import { startProgress } from "../../core/progress.js";
import { hashValue } from "../../core/stable-json.js";
import type { DocumentStore } from "../../corpus/index.js";
import type { EmbeddingModelsConfig } from "../../llm/embedding-config.js";
import type { Bm25Parameters } from "../../search/bm25.js";
import type { SearchEngine } from "../../search/search-engine.js";
import { SegmentedBm25Engine } from "../../search/segments/segmented-bm25-engine.js";
import type { TokenizerPool } from "../../tokenizer/tokenizer-pool.js";
import type { Tokenizer } from "../../tokenizer/tokenizer.js";
import { chunkKey, packInterleaved, type InterleavedPacking, type InterleavedSample } from "../pack/interleave-negatives.js";
import { emptyCounts } from "../pack/pack-topic.js";
import type { RunDirectory } from "../run-directory.js";
import { metaChunkSplitter, type ChunkSize } from "../pack/meta-chunks.js";
import { ChunkPool } from "./chunk-pool.js";
import { CorpusNegativeFinder } from "./corpus-negatives.js";
import { HardNegativeFinder, NEGATIVE_QUERY_TERMS } from "./hard-negatives.js";
import type { NegativeFinder } from "./negative-finder.js";
import { NegativeQueryBuilder } from "./negative-queries.js";
import { openDenseNegatives } from "./open-dense-negatives.js";
import { NextLongTopicBuilder, type NextLongOptions, type NextLongTopic } from "./nextlong-topic-builder.js";

export interface NextLongStageOptions extends NextLongOptions {
  chunkSize: number;
  chunkUnit: ChunkSize["unit"];
  /** "retrieved": negatives from the chunk index of the retrieved documents; "corpus": from the whole corpus index (see CorpusNegativeFinder). */
  negativePool: "retrieved" | "corpus";
  maxDocUses?: number | undefined;
  /** Re-query an all-terms topic that fills nothing with any term. */
  relax: boolean;
  memory: number;
  workers: number;
  /** "bm25" or "dense" (by `embeddings`, a name under `embeddingModels`). */
  negatives: "bm25" | "dense";
  embeddings?: string | undefined;
  embeddingModels?: EmbeddingModelsConfig | undefined;
}

/** What the caller needs to write a topic's samples. */
export type WriteTopicSamples = (topic: Topic, samples: InterleavedSample[]) => Promise<void>;

/** The chunk index lives beside the samples, not in index/ (which holds the corpus index). */
export function chunkIndexDirectory(run: RunDirectory): string {
  return join(run.root, "nextlong", "chunks-index");
}

/** The chunk pool's spool file (normalized texts of pooled documents), deleted when the stage ends. */
function chunkSpoolPath(run: RunDirectory): string {
  return join(run.root, "nextlong", "chunk-texts.spool");
}

/** The retrieve stage's settings, for relaxed re-queries. */
export interface RetrieveSettings {
  k: number;
  bm25: Bm25Parameters;
}

/**
 * Packs every topic NExtLong-style: chunks all retrieved documents into the on-disk chunk pool,
 * indexes the chunks with our engine (negative pool "retrieved"; "corpus" queries the run's
 * corpus index instead), retrieves each chunk's hard negatives in one batched pass, then
 * packs each topic's interleaved stream into exact-length samples. As in plain packing, topics
 * whose hit list equals an earlier topic's are skipped, and an all-terms topic that fills
 * nothing is re-queried with any term (its documents without negatives yet are chunked and get
 * them; they are not added to the chunk index). Returns the stage's counts.
 */
export async function packAllNextLong(
  run: RunDirectory,
  inputs: { topics: Map<string, Topic>; engine: SearchEngine; store: DocumentStore; tokenizer: Tokenizer; pool: TokenizerPool; retrieve: RetrieveSettings },
  options: NextLongStageOptions,
  write: WriteTopicSamples,
): Promise<Record<string, number>> {
  const hitsList: Hits[] = await readAllJsonLines(run.hitsPath, hitsSchema);
  const split = metaChunkSplitter({ size: options.chunkSize, unit: options.chunkUnit }, inputs.tokenizer);
  const chunkPool = await ChunkPool.create(chunkSpoolPath(run), inputs.engine, inputs.store, (text) => inputs.tokenizer.normalize(text), split);
  let negatives: OpenedNegatives | undefined;
  try {
    const counts = emptyNextLongCounts();
    const indexStart = performance.now();
    const retrieved = await chunkPool.addDocuments(hitsList.flatMap((hits) => hits.docIds));
    negatives = await openNegatives(run, { ...inputs, chunkPool, retrieved }, options);
    const { finder } = negatives;
    if (options.negatives === "bm25") {
      counts["nextlong.indexMilliseconds"] = Math.round(performance.now() - indexStart);
      const negativeStart = performance.now();
      // The retrieved documents only: a corpus pool adds the negatives' documents as it goes.
      counts["nextlong.negativeQueries"] = await finder.find(chunkPool.entries(retrieved));
      counts["nextlong.negativeMilliseconds"] = Math.round(performance.now() - negativeStart);
    }
    const builder = new NextLongTopicBuilder(chunkPool, finder.negatives, inputs.pool, options);
    await packTopics(hitsList, { ...inputs, chunkPool, finder, builder }, options, write, counts);
    counts["nextlong.chunks"] = chunkPool.chunkCount;
    return { ...counts, ...negatives.counts() };
  } finally {
    await negatives?.close();
    await chunkPool.close();
  }
}

/** A run's negative finder, the counts of its own work, and what to release when packing ends. */
interface OpenedNegatives {
  finder: NegativeFinder;
  counts(): Record<string, number>;
  close(): Promise<void>;
}

/**
 * The finder `options` ask for. BM25 ("retrieved" pool: a chunk index over the retrieved
 * documents' chunks; "corpus": the run's corpus index) is queried by the caller; the dense finder
 * embeds, indexes and searches the retrieved chunks as it opens.
 */
async function openNegatives(
  run: RunDirectory,
  inputs: { engine: SearchEngine; retrieve: RetrieveSettings; chunkPool: ChunkPool; retrieved: readonly string[] },
  options: NextLongStageOptions,
): Promise<OpenedNegatives> {
  const { chunkPool, retrieved } = inputs;
  const candidates = 4 * options.negativesPerGap + 32;
  if (options.negatives === "dense") {
    const name = options.embeddings!;
    const dense = await openDenseNegatives(run, () => chunkPool.entries(retrieved), { name, config: options.embeddingModels![name]! }, { candidates, threads: Math.max(1, options.workers) });
    return { finder: dense.finder, counts: dense.counts, close: dense.close };
  }
  const queries = new NegativeQueryBuilder(inputs.engine.analysis, NEGATIVE_QUERY_TERMS);
  for (const entry of chunkPool.entries(retrieved)) queries.addChunk(entry.text);
  const settings = { candidates, bm25: inputs.retrieve.bm25 };
  if (options.negativePool === "corpus") {
    await rm(chunkIndexDirectory(run), { recursive: true, force: true }); // an earlier run's, not used
    return { finder: new CorpusNegativeFinder(inputs.engine, chunkPool, queries, settings), counts: () => ({}), close: async () => {} };
  }
  const directory = chunkIndexDirectory(run);
  const chunksIndexed = await chunkPool.writeIndex(directory, { analysis: inputs.engine.analysis, memoryBytes: options.memory, workers: options.workers });
  const chunkIndex = await SegmentedBm25Engine.open(directory, { workers: Math.max(1, options.workers) });
  return { finder: new HardNegativeFinder(chunkIndex, queries, settings), counts: () => ({ "nextlong.chunksIndexed": chunksIndexed }), close: () => chunkIndex.close() };
}

function emptyNextLongCounts(): Record<string, number> {
  return {
    topics: 0, topicsWithSamples: 0, topicsWithSameHits: 0, topicsRelaxed: 0, skippedCharacters: 0,
    ...Object.fromEntries(Object.keys({ ...emptyCounts(), reuseCap: 0 }).map((fate) => [`documents.${fate}`, 0])),
    "nextlong.chunks": 0, "nextlong.chunksIndexed": 0, "nextlong.negativeQueries": 0, "nextlong.relaxedNegativeQueries": 0,
    "nextlong.positives": 0, "nextlong.negatives": 0, "nextlong.shortGaps": 0, "nextlong.indexMilliseconds": 0, "nextlong.negativeMilliseconds": 0,
  };
}

interface TopicPacking {
  topics: Map<string, Topic>;
  engine: SearchEngine;
  tokenizer: Tokenizer;
  retrieve: RetrieveSettings;
  chunkPool: ChunkPool;
  finder: NegativeFinder;
  builder: NextLongTopicBuilder;
}

async function packTopics(hitsList: readonly Hits[], parts: TopicPacking, options: NextLongStageOptions, write: WriteTopicSamples, counts: Record<string, number>): Promise<void> {
  const uses = new Map<string, number>();
  const packedHitLists = new Set<string>();
  const mayUse = (docId: string) => options.maxDocUses === undefined || (uses.get(docId) ?? 0) < options.maxDocUses;
  const progress = startProgress({ label: "pack (nextlong)", total: hitsList.length, unit: "topics" });
  try {
    for (const hits of hitsList) {
      const topic = parts.topics.get(hits.topicId)!;
      counts.topics!++;
      progress.advance();
      const hitList = hashValue(hits.docIds);
      if (hits.docIds.length > 0 && packedHitLists.has(hitList)) {
        counts.topicsWithSameHits!++;
        continue;
      }
      packedHitLists.add(hitList);
      const relaxable = options.relax && hits.match === "all";
      let prepared = await parts.builder.build(hits, topic, mayUse);
      let packed = packInterleaved(prepared.chunks, parts.tokenizer, { ...options, shortTopics: relaxable ? "drop" : options.shortTopics });
      if (packed.samples.length === 0 && relaxable) {
        const relaxed = await relaxedHits(parts, topic, hits);
        if (relaxed) {
          counts.topicsRelaxed!++;
          await parts.chunkPool.addDocuments(relaxed.docIds);
          // Pooled documents may lack negatives: new ones, and a corpus pool's negative documents.
          const lacking = new Set(relaxed.docIds.filter((docId) => parts.chunkPool.chunkCountOf(docId) > 0 && !parts.finder.negatives.has(chunkKey({ docId, chunk: 0 }))));
          counts["nextlong.relaxedNegativeQueries"]! += await parts.finder.find(parts.chunkPool.entries(lacking));
          prepared = await parts.builder.build(relaxed, topic, mayUse);
        }
        if (relaxed || options.shortTopics === "flag") packed = packInterleaved(prepared.chunks, parts.tokenizer, options);
      }
      await write(topic, packed.samples);
      addTopicCounts(counts, prepared, packed, options.samplesPerTopic);
      for (const docId of new Set(packed.samples.flatMap((sample) => sample.spans.filter((span) => span.kind === "positive").map((span) => span.docId)))) uses.set(docId, (uses.get(docId) ?? 0) + 1);
    }
  } finally {
    progress.stop();
  }
}

async function relaxedHits(parts: TopicPacking, topic: Topic, hits: Hits): Promise<Hits | undefined> {
  const found = await parts.engine.search(topic.text, { k: parts.retrieve.k, match: "any", bm25: parts.retrieve.bm25 });
  const docIds = found.map((hit) => hit.docId);
  if (hashValue(docIds) === hashValue(hits.docIds)) return undefined;
  return { ...hits, match: "any", docIds, scores: found.map((hit) => hit.score) };
}

/** Every kept document is used (a positive chunk of it is in a sample), or overflow / short tail. */
function addTopicCounts(counts: Record<string, number>, prepared: NextLongTopic, packed: InterleavedPacking, samplesPerTopic: number): void {
  const usedDocuments = new Set(prepared.chunks.filter((chunk) => chunk.kind === "positive").slice(0, packed.positivesUsed).map((chunk) => chunk.docId));
  for (const [fate, count] of Object.entries(prepared.counts)) counts[`documents.${fate}`]! += count;
  counts["documents.used"]! += usedDocuments.size;
  counts[packed.samples.length === samplesPerTopic ? "documents.overflow" : "documents.shortTail"]! += prepared.documents.length - usedDocuments.size;
  counts["documents.reuseCap"]! += prepared.reuseCapped;
  counts["nextlong.positives"]! += packed.positivesUsed;
  counts["nextlong.negatives"]! += packed.negativesUsed;
  // Gaps past the samples do not count: long hit lists run out of unused candidates far down.
  counts["nextlong.shortGaps"]! += prepared.shortGaps.filter((ordinal) => ordinal < packed.positivesUsed).length;
  counts.skippedCharacters! += packed.skippedCharacters;
  if (packed.samples.length > 0) counts.topicsWithSamples!++;
}
