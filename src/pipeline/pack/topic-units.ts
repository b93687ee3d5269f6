import type { Hits, Topic } from "../../core/records.js";
import { seededShuffle } from "../../core/seeded-random.js";
import { hashValue } from "../../core/stable-json.js";
import type { DocumentStore } from "../../corpus/index.js";
import type { SearchEngine } from "../../search/search-engine.js";
import type { TokenizerPool } from "../../tokenizer/tokenizer-pool.js";
import type { Tokenizer } from "../../tokenizer/tokenizer.js";
import { prepareUnits, SignatureCache, type PackCounts, type PackOptions } from "./pack-topic.js";
import { TokenIdCache } from "./token-id-cache.js";
import type { StreamUnit } from "./token-stream.js";

export type DocumentOrder = "score" | "shuffle" | "reverse";

/** A topic's documents read, prepared and tokenized, ready for packUnits. */
export interface TopicUnits {
  units: StreamUnit[];
  counts: PackCounts;
}

/**
 * Turns a topic's hits into tokenized units: orders the documents, reads their texts back
 * through the corpus pointers, drops empty and (near-)duplicate ones, and tokenizes each unit
 * once per run (ids are cached by document, since top-k lists of related topics overlap).
 */
export class TopicUnitBuilder {
  private readonly cache: TokenIdCache;
  private readonly signatures: SignatureCache;

  constructor(
    private readonly engine: SearchEngine,
    private readonly store: DocumentStore,
    private readonly tokenizer: Tokenizer,
    private readonly pool: TokenizerPool,
    private readonly options: PackOptions & { order: DocumentOrder; seed: number },
    /** Token ids and MinHash signatures kept for later topics (sized from the memory budget). */
    private readonly cacheLimits: { tokens: number; signatures: number },
  ) {
    this.signatures = new SignatureCache(cacheLimits.signatures);
    this.cache = new TokenIdCache(cacheLimits.tokens);
  }

  /**
   * Reads and tokenizes only as many documents (in order) as the topic's samples can use: the
   * prefix grows by doubling until its tokens cover every sample with room to spare; documents
   * past it are counted as overflow without being read. Preparation keeps first occurrences, so
   * a longer prefix never changes the units of a shorter one: the result is deterministic.
   */
  async build(hits: Hits, topic: Topic): Promise<TopicUnits> {
    const ids = orderDocuments(hits.docIds, this.options.order, this.options.seed, topic.id);
    const budget = this.options.samplesPerTopic * this.options.length * 1.05 + 1024;
    const texts = new Map<string, string>();
    for (let prefix = Math.min(ids.length, 64); ; prefix = Math.min(ids.length, prefix * 2)) {
      const wanted = ids.slice(0, prefix).filter((id) => !texts.has(id));
      await this.engine.loadDocumentSources?.(wanted);
      const read = await this.store.readTexts(wanted.map((id) => this.engine.documentSource(id)!));
      wanted.forEach((id, i) => texts.set(id, read[i]!));
      const result = await this.tokenizePrefix(ids.slice(0, prefix), texts);
      const tokens = result.units.reduce((sum, unit) => sum + (unit.ids.length <= this.options.length || this.options.longDocuments === "split" ? unit.ids.length : 0), 0);
      if (prefix === ids.length || tokens >= budget) {
        result.counts.overflow += ids.length - prefix;
        return result;
      }
    }
  }

  private async tokenizePrefix(ids: string[], texts: Map<string, string>): Promise<TopicUnits> {
    const prepared = prepareUnits(
      ids.map((id) => ({ id, text: texts.get(id)! })),
      (text) => this.tokenizer.normalize(text),
      this.options,
      this.signatures,
    );
    const missing = prepared.units.filter((unit) => !this.cache.has(unit.docId));
    const encoded = await this.pool.encodeMany(missing.map((unit) => unit.text));
    missing.forEach((unit, i) => this.remember(unit.docId, encoded[i]!));
    const fresh = new Map(missing.map((unit, i) => [unit.docId, encoded[i]!]));
    const units = prepared.units.map((unit) => ({ ...unit, ids: fresh.get(unit.docId) ?? this.cache.get(unit.docId)! }));
    return { units, counts: prepared.counts };
  }

  private remember(docId: string, ids: Uint32Array): void {
    if (ids.length > this.cache.budget / 16) return;
    this.cache.remember(docId, ids);
  }
}

/** Document order within a topic; the shuffle seed is per topic, so topics do not affect each other. */
export function orderDocuments(docIds: readonly string[], order: DocumentOrder, seed: number, topicId: string): string[] {
  if (order === "reverse") return docIds.slice().reverse();
  if (order === "shuffle") return seededShuffle(docIds, parseInt(hashValue({ seed, topicId }).slice(0, 8), 16));
  return docIds.slice();
}
