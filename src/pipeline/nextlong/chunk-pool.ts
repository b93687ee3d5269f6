import { rm } from "node:fs/promises";
import type { DocumentSource } from "../../core/records.js";
import type { DocumentStore } from "../../corpus/index.js";
import type { AnalysisOptions } from "../../search/analyzer.js";
import type { SearchEngine } from "../../search/search-engine.js";
import { SegmentedIndexWriter } from "../../search/segments/segmented-index-writer.js";
import { chunkKey } from "../pack/interleave-negatives.js";
import { splitIntoMetaChunks } from "../pack/meta-chunks.js";

/** Documents read back from the corpus at a time. */
const READ_BATCH = 512;

export interface PoolChunk {
  id: string;
  docId: string;
  chunk: number;
  text: string;
}

/**
 * The meta-chunks of every retrieved document (LiteLong+NExtLong chunks only these, not the
 * whole corpus), held in memory, each document's normalized, trimmed text split by
 * splitIntoMetaChunks, plus where its text lives. Documents are in first-retrieved order.
 */
export class ChunkPool {
  /** Chunk texts by document id; they concatenate to the document's normalized text. */
  readonly chunksOf = new Map<string, string[]>();
  private readonly sources = new Map<string, DocumentSource>();

  constructor(
    private readonly engine: SearchEngine,
    private readonly store: DocumentStore,
    private readonly normalize: (text: string) => string,
    private readonly chunkCharacters: number,
  ) {}

  /** Reads and chunks the documents not yet in the pool (through the engine's pointers); returns their ids. */
  async addDocuments(docIds: Iterable<string>): Promise<string[]> {
    const added = [...new Set(docIds)].filter((id) => !this.chunksOf.has(id));
    for (let start = 0; start < added.length; start += READ_BATCH) {
      const batch = added.slice(start, start + READ_BATCH);
      await this.engine.loadDocumentSources?.(batch);
      const batchSources = batch.map((id) => this.engine.documentSource(id)!);
      const texts = await this.store.readTexts(batchSources);
      batch.forEach((id, i) => {
        this.sources.set(id, batchSources[i]!);
        const text = this.normalize(texts[i]!).trim();
        this.chunksOf.set(id, text.length === 0 ? [] : splitIntoMetaChunks(text, this.chunkCharacters));
      });
    }
    return added;
  }

  get chunkCount(): number {
    let count = 0;
    for (const chunks of this.chunksOf.values()) count += chunks.length;
    return count;
  }

  /** Every chunk (of `docIds`, default all) with its id `<docId>#<n>`, documents in pool order. */
  *entries(docIds: Iterable<string> = this.chunksOf.keys()): Generator<PoolChunk> {
    for (const docId of docIds) for (const [chunk, text] of this.chunksOf.get(docId)!.entries()) yield { id: chunkKey({ docId, chunk }), docId, chunk, text };
  }

  /** A document's normalized text (its chunks joined). */
  textOf(docId: string): string {
    return (this.chunksOf.get(docId) ?? []).join("");
  }

  chunkText(docId: string, chunk: number): string {
    return this.chunksOf.get(docId)![chunk]!;
  }

  /**
   * Writes the chunk-level index (our segmented BM25 engine) to `directory`, replacing any
   * earlier one: one index document per chunk, its source the parent document's (the text is
   * not copied into the index). Returns the number of chunks indexed.
   */
  async writeIndex(directory: string, options: { analysis: AnalysisOptions; memoryBytes: number; workers: number }): Promise<number> {
    await rm(directory, { recursive: true, force: true });
    const writer = await SegmentedIndexWriter.create(directory, { analysis: options.analysis, memoryBytes: options.memoryBytes, workers: Math.max(1, options.workers) });
    try {
      for (const entry of this.entries()) await writer.add({ id: entry.id, text: entry.text, source: this.sources.get(entry.docId)! });
      return (await writer.finish()).documents;
    } finally {
      await writer.close();
    }
  }
}
