import { closeSync, openSync, readSync, writeSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { dirname } from "node:path";
import type { DocumentStore } from "../../corpus/index.js";
import type { AnalysisOptions } from "../../search/analyzer.js";
import type { SearchEngine } from "../../search/search-engine.js";
import { SegmentedIndexWriter } from "../../search/segments/segmented-index-writer.js";
import { chunkKey } from "../pack/interleave-negatives.js";

/** Documents read back from the corpus at a time. */
const READ_BATCH = 512;

export interface PoolChunk {
  id: string;
  docId: string;
  chunk: number;
  text: string;
}

/** Where a pooled document's normalized text lies in the spool file. */
interface SpooledDocument {
  /** Byte offset of the document's text. */
  offset: number;
  /** Byte offset, from `offset`, where each chunk ends. */
  chunkEnds: Uint32Array;
}

/**
 * The meta-chunks of the documents NExtLong packs with (the retrieved ones, and with a corpus
 * negative pool the documents negatives come from): each document's normalized, trimmed text
 * split by `split`. The texts are appended to a spool file and read back by offset when asked
 * for, so memory holds only a few numbers per chunk however large the pool grows; the spool
 * sits in the page cache while it is hot. Documents are in first-added order.
 */
export class ChunkPool {
  private readonly documents = new Map<string, SpooledDocument>();
  private spoolBytes = 0;
  private chunks = 0;

  private constructor(
    private readonly spool: { path: string; descriptor: number },
    private readonly engine: SearchEngine,
    private readonly store: DocumentStore,
    private readonly normalize: (text: string) => string,
    private readonly split: (text: string) => string[],
  ) {}

  /** A pool spooling to `spoolPath` (replaced); call close() when done, which deletes it. */
  static async create(spoolPath: string, engine: SearchEngine, store: DocumentStore, normalize: (text: string) => string, split: (text: string) => string[]): Promise<ChunkPool> {
    await mkdir(dirname(spoolPath), { recursive: true });
    return new ChunkPool({ path: spoolPath, descriptor: openSync(spoolPath, "w+") }, engine, store, normalize, split);
  }

  /** Reads and chunks the documents not yet in the pool (through the engine's pointers); returns their ids. */
  async addDocuments(docIds: Iterable<string>): Promise<string[]> {
    const added = [...new Set(docIds)].filter((id) => !this.documents.has(id));
    for (let start = 0; start < added.length; start += READ_BATCH) {
      const batch = added.slice(start, start + READ_BATCH);
      await this.engine.loadDocumentSources?.(batch);
      const texts = await this.store.readTexts(batch.map((id) => this.engine.documentSource(id)!));
      batch.forEach((id, i) => this.spoolDocument(id, this.normalize(texts[i]!).trim()));
    }
    return added;
  }

  private spoolDocument(docId: string, text: string): void {
    const chunks = text.length === 0 ? [] : this.split(text);
    const chunkEnds = new Uint32Array(chunks.length);
    let end = 0;
    chunks.forEach((chunk, i) => (chunkEnds[i] = end += Buffer.byteLength(chunk)));
    const bytes = Buffer.from(chunks.join(""));
    writeSync(this.spool.descriptor, bytes, 0, bytes.length, this.spoolBytes);
    this.documents.set(docId, { offset: this.spoolBytes, chunkEnds });
    this.spoolBytes += bytes.length;
    this.chunks += chunks.length;
  }

  get chunkCount(): number {
    return this.chunks;
  }

  /** Chunks of a pooled document (0 for one not in the pool). */
  chunkCountOf(docId: string): number {
    return this.documents.get(docId)?.chunkEnds.length ?? 0;
  }

  has(docId: string): boolean {
    return this.documents.has(docId);
  }

  /** Every chunk (of `docIds`, default all) with its id `<docId>#<n>`, documents in pool order; each document is read once. */
  *entries(docIds: Iterable<string> = this.documents.keys()): Generator<PoolChunk> {
    for (const docId of docIds) {
      const { chunkEnds } = this.documents.get(docId)!;
      const bytes = this.readBytes(docId, 0, chunkEnds.length);
      let start = 0;
      for (const [chunk, end] of chunkEnds.entries()) {
        yield { id: chunkKey({ docId, chunk }), docId, chunk, text: bytes.toString("utf8", start, end) };
        start = end;
      }
    }
  }

  /** A document's normalized text (its chunks joined); "" for one not in the pool. */
  textOf(docId: string): string {
    return this.documents.has(docId) ? this.readBytes(docId, 0, this.chunkCountOf(docId)).toString("utf8") : "";
  }

  chunkText(docId: string, chunk: number): string {
    return this.readBytes(docId, chunk, chunk + 1).toString("utf8");
  }

  /** The bytes of chunks [first, end) of a pooled document. */
  private readBytes(docId: string, first: number, end: number): Buffer {
    const { offset, chunkEnds } = this.documents.get(docId)!;
    const start = first === 0 ? 0 : chunkEnds[first - 1]!;
    const stop = end === 0 ? 0 : chunkEnds[end - 1]!;
    const bytes = Buffer.allocUnsafe(stop - start);
    for (let read = 0; read < bytes.length; ) {
      const got = readSync(this.spool.descriptor, bytes, read, bytes.length - read, offset + start + read);
      if (got === 0) throw new Error(`${this.spool.path}: ends before byte ${offset + stop} (the spool file was truncated)`);
      read += got;
    }
    return bytes;
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
      for (const entry of this.entries()) await writer.add({ id: entry.id, text: entry.text, source: this.engine.documentSource(entry.docId)! });
      return (await writer.finish()).documents;
    } finally {
      await writer.close();
    }
  }

  /** Closes and deletes the spool file. */
  async close(): Promise<void> {
    closeSync(this.spool.descriptor);
    await rm(this.spool.path, { force: true });
  }
}
