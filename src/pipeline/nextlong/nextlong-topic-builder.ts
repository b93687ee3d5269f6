import type { Hits, Topic } from "../../core/records.js";
import type { TokenizerPool } from "../../tokenizer/tokenizer-pool.js";
import { chunkKey, interleaveNegatives, type ChunkReference, type PlacedChunk } from "../pack/interleave-negatives.js";
import { emptyCounts, prepareUnits, SignatureCache, type PackCounts, type PackOptions } from "../pack/pack-topic.js";
import { orderDocuments, type DocumentOrder } from "../pack/topic-units.js";
import { TokenIdCache } from "../pack/token-id-cache.js";
import type { ChunkPool } from "./chunk-pool.js";

/** Chunk token ids kept for reuse by later topics (negatives recur across topics). */
const CACHE_TOKEN_BUDGET = 64 * 1024 * 1024;
/** Placed chunks tokenized at a time while the topic's stream grows. */
const TOKENIZE_BATCH = 64;

export interface NextLongOptions extends PackOptions {
  order: DocumentOrder;
  seed: number;
  negativesPerGap: number;
  /** Never take negatives from any document retrieved for the same topic. */
  negativesExcludeTopic: boolean;
}

/** A topic's interleaved stream, tokenized as far as its samples can reach. */
export interface NextLongTopic {
  chunks: Array<PlacedChunk & { text: string; ids: Uint32Array }>;
  /** Fates of the topic's documents before packing (duplicates etc.); used/overflow come after. */
  counts: PackCounts;
  /** Documents kept, in stream order. */
  documents: string[];
  /** Documents left out because they were used `maxDocUses` times already. */
  reuseCapped: number;
  /** Ordinals of the positives followed by fewer negatives than wanted. */
  shortGaps: number[];
}

/**
 * Builds a topic's NExtLong stream: its documents in order (duplicates and near-duplicates
 * dropped as in plain packing), each as its meta-chunks, with hard negatives between
 * consecutive positives; then tokenizes the stream chunk by chunk (on the pool) only until it
 * holds enough tokens for the topic's samples. The result is deterministic: tokenizing less
 * never changes what comes first.
 */
export class NextLongTopicBuilder {
  private readonly cache = new TokenIdCache(CACHE_TOKEN_BUDGET);
  private readonly signatures = new SignatureCache();

  constructor(
    private readonly pool: ChunkPool,
    private readonly negatives: ReadonlyMap<string, readonly ChunkReference[]>,
    private readonly tokenizerPool: TokenizerPool,
    private readonly options: NextLongOptions,
  ) {}

  async build(hits: Hits, topic: Topic, mayUse: (docId: string) => boolean): Promise<NextLongTopic> {
    const ordered = orderDocuments(hits.docIds, this.options.order, this.options.seed, topic.id);
    const prepared = ordered.length === 0 ? { units: [], counts: emptyCounts() } : prepareUnits(ordered.map((id) => ({ id, text: this.pool.textOf(id) })), (text) => text, this.options, this.signatures);
    const documents = prepared.units.map((unit) => unit.docId).filter(mayUse);
    const positives = documents.flatMap((docId) => Array.from({ length: this.pool.chunkCountOf(docId) }, (_, chunk) => ({ docId, chunk })));
    const interleaved = interleaveNegatives(positives, (positive) => this.negatives.get(chunkKey(positive)) ?? [], {
      negativesPerGap: this.options.negativesPerGap,
      ...(this.options.negativesExcludeTopic ? { excludedDocuments: new Set(hits.docIds) } : {}),
    });
    const budget = this.options.samplesPerTopic * this.options.length * 1.05 + 1024;
    const chunks: NextLongTopic["chunks"] = [];
    let tokens = 0;
    for (let start = 0; start < interleaved.placed.length && tokens < budget; start += TOKENIZE_BATCH) {
      const batch = interleaved.placed.slice(start, start + TOKENIZE_BATCH);
      const ids = await this.idsOf(batch);
      batch.forEach((placed, i) => {
        chunks.push({ ...placed, text: this.unitText(placed), ids: ids[i]! });
        tokens += ids[i]!.length;
      });
    }
    return { chunks, counts: prepared.counts, documents, reuseCapped: prepared.units.length - documents.length, shortGaps: interleaved.shortGaps };
  }

  /** A chunk as a stream unit: starts with a non-space, ends with the separator's newline. */
  private unitText(chunk: ChunkReference): string {
    return this.pool.chunkText(chunk.docId, chunk.chunk).trim() + this.options.separator;
  }

  private async idsOf(chunks: readonly ChunkReference[]): Promise<Uint32Array[]> {
    const missing = [...new Set(chunks.map(chunkKey).filter((key) => !this.cache.has(key)))];
    const byKey = new Map(chunks.map((chunk) => [chunkKey(chunk), chunk]));
    const encoded = await this.tokenizerPool.encodeMany(missing.map((key) => this.unitText(byKey.get(key)!)));
    const fresh = new Map(missing.map((key, i) => [key, encoded[i]!]));
    missing.forEach((key, i) => this.cache.remember(key, encoded[i]!));
    return chunks.map((chunk) => fresh.get(chunkKey(chunk)) ?? this.cache.get(chunkKey(chunk))!);
  }
}
