import type { DocumentSource } from "../../core/records.js";
import { createStemmer, createWordFilter, scanWords, type AnalysisOptions } from "../analyzer.js";
import { lengthFloorCodes } from "./length-floors.js";
import { GrowableUint32, PostingsEncoder } from "./postings-encoding.js";
import { hashDocumentId, type SegmentParts, type SegmentSourceFile } from "./segment-parts.js";
import { WordTable } from "./word-table.js";

const textEncoder = new TextEncoder();

/** Encodes strings as concatenated UTF-8 with offsets. */
export function encodeStrings(strings: readonly string[]): EncodedStrings {
  const offsets = new Uint32Array(strings.length + 1);
  // All ASCII (the bytes are as many as the characters; the usual case): one encoder call for the
  // whole list. Otherwise each string alone, as a lone surrogate must not pair with its neighbour's.
  const joined = textEncoder.encode(strings.join(""));
  for (let i = 0; i < strings.length; i++) offsets[i + 1] = offsets[i]! + strings[i]!.length;
  if (joined.length === offsets[strings.length]) return { offsets, bytes: joined };
  const encoded = strings.map((text) => textEncoder.encode(text));
  for (let i = 0; i < encoded.length; i++) offsets[i + 1] = offsets[i]! + encoded[i]!.length;
  const bytes = new Uint8Array(offsets[strings.length]!);
  for (let i = 0; i < encoded.length; i++) bytes.set(encoded[i]!, offsets[i]!);
  return { offsets, bytes };
}

/** Sorts ids by hash (then by id, for a deterministic order among colliding hashes). */
export function buildIdLookup(ids: readonly string[]): { idHashes: Uint32Array; idOrder: Uint32Array } {
  const hashes = ids.map(hashDocumentId);
  const order = Uint32Array.from(ids.keys()).sort((a, b) => hashes[a]! - hashes[b]! || (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
  return { idHashes: Uint32Array.from(order, (document) => hashes[document]!), idOrder: order };
}

/** A SourceTable's contents in arrays, which a build task transfers to its worker without copying. */
export interface EncodedSources {
  files: SegmentSourceFile[];
  /** Per document: its file's index in `files`. */
  sourceFile: Uint32Array<ArrayBuffer>;
  /** Per document: three locator numbers (line, byte offset, byte length; row, 0, 0; or zeros). */
  numbers: Float64Array<ArrayBuffer>;
}

/** Collects the source files of a segment's documents and their locators as numbers. */
export class SourceTable {
  readonly files: SegmentSourceFile[] = [];
  private readonly fileIndex = new Map<string, number>();
  readonly sourceFile = new GrowableUint32();
  private numbers: number[] = [];

  add(source: DocumentSource): void {
    const locator = source.locator;
    if (locator.kind === "line") this.addEntries(source.file, "line", locator.line, locator.byteOffset, locator.byteLength);
    else if (locator.kind === "row") this.addEntries(source.file, "row", locator.row, 0, 0);
    else this.addEntries(source.file, "file", 0, 0, 0);
  }

  /** Adds a document's source as a segment stores it: its file and three locator numbers. */
  addEntries(path: string, kind: SegmentSourceFile["kind"], first: number, second: number, third: number): void {
    let index = this.fileIndex.get(path);
    if (index === undefined) {
      index = this.files.length;
      this.fileIndex.set(path, index);
      this.files.push({ path, kind });
    }
    this.sourceFile.push(index);
    this.numbers.push(first, second, third);
  }

  encode(): EncodedSources {
    return { files: this.files, sourceFile: this.sourceFile.view().slice(), numbers: Float64Array.from(this.numbers) };
  }
}

const NOT_INDEXED = -1;

/**
 * Builds one segment in memory from analysed documents. Postings are gathered as flat
 * (term, document, frequency) triples in document order and grouped by term with a counting
 * sort at the end: no per-term objects, so memory is a few bytes per posting.
 */
export class SegmentBuilder {
  private readonly filter: (word: string) => string | undefined;
  private readonly stem: (word: string) => string;
  // Scanned words map straight to term numbers (NOT_INDEXED for stopwords): one lookup per word,
  // filtering and stemming once per distinct word.
  private readonly wordNumbers = new WordTable();
  private readonly termNumbers = new Map<string, number>();
  private readonly terms: string[] = [];
  private readonly ids: string[] = [];
  private readonly lengths = new GrowableUint32();
  private readonly postingTerm = new GrowableUint32(1 << 16);
  private readonly postingDoc = new GrowableUint32(1 << 16);
  private readonly postingTf = new GrowableUint32(1 << 16);
  // For each term, the document it was last seen in and where that posting sits, to count frequencies.
  private lastDocument = new Int32Array(1 << 12);
  private lastPosting = new Uint32Array(1 << 12);
  private totalLength = 0;
  private document = 0;
  private documentLength = 0;
  private readonly addWord = (text: string, start: number, end: number, hash: number) => {
    let number = this.wordNumbers.get(text, start, end, hash);
    if (number === undefined) {
      const word = text.slice(start, end);
      const filtered = this.filter(word);
      number = filtered === undefined ? NOT_INDEXED : this.termNumber(this.stem(filtered));
      this.wordNumbers.set(word, hash, number);
    }
    if (number === NOT_INDEXED) return;
    this.documentLength++;
    if (this.lastDocument[number] === this.document) {
      this.postingTf.values[this.lastPosting[number]!]!++;
    } else {
      this.lastDocument[number] = this.document;
      this.lastPosting[number] = this.postingTerm.length;
      this.postingTerm.push(number);
      this.postingDoc.push(this.document);
      this.postingTf.push(1);
    }
  };

  constructor(analysis: AnalysisOptions) {
    this.filter = createWordFilter(analysis);
    this.stem = createStemmer(analysis);
  }

  /** Analyses a document and adds its postings (its source is given to finish, with the others'). */
  addDocument(id: string, text: string): void {
    this.document = this.ids.length;
    this.documentLength = 0;
    this.ids.push(id);
    scanWords(text, this.addWord);
    this.lengths.push(this.documentLength);
    this.totalLength += this.documentLength;
  }

  private termNumber(term: string): number {
    let number = this.termNumbers.get(term);
    if (number === undefined) {
      number = this.terms.length;
      this.termNumbers.set(term, number);
      this.terms.push(term);
      this.growTermArrays(number + 1);
      this.lastDocument[number] = -1;
    }
    return number;
  }

  private growTermArrays(needed: number): void {
    if (needed <= this.lastDocument.length) return;
    const lastDocument = new Int32Array(this.lastDocument.length * 2);
    lastDocument.set(this.lastDocument);
    const lastPosting = new Uint32Array(this.lastPosting.length * 2);
    lastPosting.set(this.lastPosting);
    this.lastDocument = lastDocument;
    this.lastPosting = lastPosting;
  }

  /** Seals the segment; `sources` are those of the documents added, in order. */
  finish(sources: EncodedSources): SegmentParts {
    if (sources.sourceFile.length !== this.ids.length) throw new RangeError(`${sources.sourceFile.length} document sources for ${this.ids.length} documents`);
    const termCount = this.terms.length;
    const postingCount = this.postingTerm.length;
    // Counting sort of postings by term; document order is kept within each term.
    const start = new Uint32Array(termCount + 1);
    const postingTerm = this.postingTerm.view();
    for (let i = 0; i < postingCount; i++) start[postingTerm[i]! + 1]!++;
    for (let t = 0; t < termCount; t++) start[t + 1]! += start[t]!;
    const fill = start.slice(0, termCount);
    const documents = new Uint32Array(postingCount);
    const frequencies = new Uint32Array(postingCount);
    const postingDoc = this.postingDoc.view();
    const postingTf = this.postingTf.view();
    for (let i = 0; i < postingCount; i++) {
      const slot = fill[postingTerm[i]!]!++;
      documents[slot] = postingDoc[i]!;
      frequencies[slot] = postingTf[i]!;
    }
    const order = Array.from(this.terms.keys()).sort((a, b) => (this.terms[a]! < this.terms[b]! ? -1 : 1));
    const lengths = this.lengths.view();
    const floorCodes = lengthFloorCodes(lengths);
    const encoder = new PostingsEncoder();
    const termDf = new Uint32Array(termCount);
    const termBlockStart = new Uint32Array(termCount + 1);
    const termMaxTf = new Uint32Array(termCount);
    const termMinLength = new Uint32Array(termCount);
    order.forEach((term, rank) => {
      const from = start[term]!;
      const count = start[term + 1]! - from;
      termDf[rank] = count;
      termBlockStart[rank] = encoder.blockCount;
      const bound = encoder.addList(documents.subarray(from), frequencies.subarray(from), count, lengths, floorCodes);
      termMaxTf[rank] = bound.maxTf;
      termMinLength[rank] = bound.minLength;
    });
    termBlockStart[termCount] = encoder.blockCount;
    return assembleParts({
      ids: encodeStrings(this.ids), idLookup: buildIdLookup(this.ids), sources, lengths: lengths.slice(), totalLength: this.totalLength,
      terms: encodeStrings(order.map((term) => this.terms[term]!)), termDf, termBlockStart, termMaxTf, termMinLength, encoder,
    });
  }
}

/** Strings as concatenated UTF-8: string i at bytes[offsets[i] .. offsets[i+1]). */
export interface EncodedStrings {
  offsets: Uint32Array;
  bytes: Uint8Array;
}

/**
 * Puts the pieces of a segment together (shared by building and merging). The encoder's arrays
 * are viewed, not copied: a segment is written as soon as it is made, and a copy would only add
 * to the peak memory of a build.
 */
export function assembleParts(pieces: {
  ids: EncodedStrings;
  idLookup: { idHashes: Uint32Array; idOrder: Uint32Array };
  sources: EncodedSources;
  lengths: Uint32Array;
  totalLength: number;
  /** The terms in dictionary order (JavaScript string order). */
  terms: EncodedStrings;
  termDf: Uint32Array;
  termBlockStart: Uint32Array;
  termMaxTf: Uint32Array;
  termMinLength: Uint32Array;
  encoder: PostingsEncoder;
}): SegmentParts {
  const { encoder } = pieces;
  return {
    docCount: pieces.ids.offsets.length - 1,
    termCount: pieces.terms.offsets.length - 1,
    blockCount: encoder.blockCount,
    totalLength: pieces.totalLength,
    files: pieces.sources.files,
    lengths: pieces.lengths,
    idOffsets: pieces.ids.offsets,
    idBytes: pieces.ids.bytes,
    ...pieces.idLookup,
    sourceFile: pieces.sources.sourceFile,
    sourceNumbers: pieces.sources.numbers,
    termOffsets: pieces.terms.offsets,
    termBytes: pieces.terms.bytes,
    termDf: pieces.termDf,
    termBlockStart: pieces.termBlockStart,
    termMaxTf: pieces.termMaxTf,
    termMinLength: pieces.termMinLength,
    blockLastDoc: encoder.blockLastDoc.view(),
    blockMaxTf: encoder.blockMaxTf.view(),
    blockMinLength: encoder.blockMinLength.view(),
    blockOffset: Float64Array.from(encoder.blockOffsets),
    postings: encoder.postings.view(),
    blockImpactOffset: encoder.blockImpactOffset.view(),
    impacts: encoder.impacts.view(),
  };
}
