import type { DocumentLocator, DocumentSource } from "../../core/records.js";
import { lengthFloorCodes } from "./length-floors.js";
import { hashDocumentId, type SegmentParts } from "./segment-parts.js";

/** In SegmentReader.lengths16: the document's length is in the full lengths array. */
export const LONG_DOCUMENT = 0xffff;

/** Read access to one segment: terms, documents and their sources. */
export class SegmentReader {
  // Buffer views decode short UTF-8 strings about twice as fast as TextDecoder.
  private readonly termText: Buffer;
  private readonly idText: Buffer;

  constructor(readonly parts: SegmentParts) {
    this.termText = Buffer.from(parts.termBytes.buffer, parts.termBytes.byteOffset, parts.termBytes.byteLength);
    this.idText = Buffer.from(parts.idBytes.buffer, parts.idBytes.byteOffset, parts.idBytes.byteLength);
  }

  private floors: Uint8Array | undefined;

  /** Per document, its length's code in LENGTH_FLOORS (made when first asked for: only queries need it). */
  get lengthFloors(): Uint8Array {
    return (this.floors ??= lengthFloorCodes(this.parts.lengths));
  }

  private shortLengths: Uint16Array | undefined;

  /**
   * Per document, its length in half the bytes (LONG_DOCUMENT for 65,535 terms or more: read
   * `parts.lengths` then). Scoring a hit reads its exact length, likely a cache miss; a smaller
   * array keeps more of it in cache. Made when first asked for.
   */
  get lengths16(): Uint16Array {
    return (this.shortLengths ??= Uint16Array.from(this.parts.lengths, (length) => Math.min(length, LONG_DOCUMENT)));
  }

  get docCount(): number {
    return this.parts.docCount;
  }

  term(ordinal: number): string {
    const { termOffsets } = this.parts;
    return this.termText.toString("utf8", termOffsets[ordinal]!, termOffsets[ordinal + 1]!);
  }

  private samples: Float64Array | undefined;

  /** The sortKey of every TERM_SAMPLE_STRIDE-th term (made when first asked for: only queries need it). */
  private get sampleKeys(): Float64Array {
    if (this.samples) return this.samples;
    const { termOffsets, termBytes, termCount } = this.parts;
    const keys = new Float64Array(Math.ceil(termCount / TERM_SAMPLE_STRIDE));
    for (let i = 0; i < keys.length; i++) {
      const ordinal = i * TERM_SAMPLE_STRIDE;
      keys[i] = sortKey(termBytes, termOffsets[ordinal]!, termOffsets[ordinal + 1]!);
    }
    return (this.samples = keys);
  }

  /**
   * The ordinal of the term with these UTF-8 bytes in this segment's dictionary, or -1. The
   * sampled terms' keys (a small array, likely in cache) narrow the range to the terms whose key
   * is the query term's; a binary search over the stored bytes settles it, so no string is decoded.
   */
  findTermBytes(term: Uint8Array): number {
    const { termOffsets, termBytes, termCount } = this.parts;
    const keys = this.sampleKeys;
    const key = sortKey(term, 0, term.length);
    const firstNotBelow = searchKeys(keys, 0, (sample) => sample < key);
    const firstAbove = searchKeys(keys, firstNotBelow, (sample) => sample <= key);
    // The sample before firstNotBelow sorts before the term, and the one at firstAbove after it.
    let low = firstNotBelow === 0 ? 0 : (firstNotBelow - 1) * TERM_SAMPLE_STRIDE + 1;
    let high = firstAbove === keys.length ? termCount - 1 : firstAbove * TERM_SAMPLE_STRIDE - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const order = compareUtf8AsUtf16(termBytes, termOffsets[middle]!, termOffsets[middle + 1]!, term);
      if (order === 0) return middle;
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  docId(document: number): string {
    const { idOffsets } = this.parts;
    return this.idBytesAsText(idOffsets[document]!, idOffsets[document + 1]!);
  }

  /** The id stored at idBytes[start..end). */
  idBytesAsText(start: number, end: number): string {
    return this.idText.toString("utf8", start, end);
  }

  /** The segment-local number of the document with this id, or -1. */
  findDocument(id: string): number {
    const { idHashes, idOrder } = this.parts;
    const hash = hashDocumentId(id);
    let low = 0;
    let high = idHashes.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (idHashes[middle]! < hash) low = middle + 1;
      else high = middle;
    }
    for (let i = low; i < idHashes.length && idHashes[i] === hash; i++) {
      if (this.docId(idOrder[i]!) === id) return idOrder[i]!;
    }
    return -1;
  }

  source(document: number): DocumentSource {
    const numbers = this.parts.sourceNumbers;
    return this.sourceFromEntries(this.parts.sourceFile[document]!, numbers[3 * document]!, numbers[3 * document + 1]!, numbers[3 * document + 2]!);
  }

  /** A source from a document's sourceFile entry and its three sourceNumbers entries. */
  sourceFromEntries(fileIndex: number, first: number, second: number, third: number): DocumentSource {
    const file = this.parts.files[fileIndex]!;
    let locator: DocumentLocator;
    if (file.kind === "line") locator = { kind: "line", line: first, byteOffset: second, byteLength: third };
    else if (file.kind === "row") locator = { kind: "row", row: first };
    else locator = { kind: "file" };
    return { file: file.path, locator };
  }
}

/** Terms per sampled key in findTermBytes: 8 bytes per 16 terms. */
const TERM_SAMPLE_STRIDE = 16;
/** Bytes of a term in its sortKey: six fit a double exactly. */
const KEY_BYTES = 6;

/** The first index from `from` at which `before` is false (it is true up to some index, then false). */
function searchKeys(keys: Float64Array, from: number, before: (key: number) => boolean): number {
  let low = from;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (before(keys[middle]!)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The first KEY_BYTES bytes of a UTF-8 term as one number that never decreases along the
 * dictionary's order (compareUtf8AsUtf16): the lead bytes of characters above U+FFFF (0xF0..)
 * are moved below those of U+E000..U+FFFF (0xEE, 0xEF), as that order has them; missing bytes count 0.
 */
function sortKey(bytes: Uint8Array, start: number, end: number): number {
  let key = 0;
  for (let i = start; i < start + KEY_BYTES; i++) {
    const byte = i < end ? bytes[i]! : 0;
    key = key * 256 + (byte < 0xee ? byte : byte < 0xf0 ? byte + 8 : byte - 2);
  }
  return key;
}

/**
 * Compares stored[start..end) with other[otherStart..otherEnd), both UTF-8, in the order of the strings they encode
 * under JavaScript's `<` (UTF-16 code units), which the dictionary is sorted in. Byte order is
 * code point order, and the two differ only between U+E000..U+FFFF (lead byte 0xEE or 0xEF) and
 * characters above U+FFFF (lead byte 0xF0..0xF4, surrogates in UTF-16, so smaller there). The
 * first differing byte is either within one character (same lead byte, orders agree) or is two
 * lead bytes, where that one case is swapped.
 */
export function compareUtf8AsUtf16(stored: Uint8Array, start: number, end: number, other: Uint8Array, otherStart = 0, otherEnd = other.length): number {
  const length = Math.min(end - start, otherEnd - otherStart);
  for (let i = 0; i < length; i++) {
    const a = stored[start + i]!;
    const b = other[otherStart + i]!;
    if (a === b) continue;
    if (a >= 0xee && b >= 0xee && a < 0xf8 && b < 0xf8 && (a >= 0xf0) !== (b >= 0xf0)) return a >= 0xf0 ? -1 : 1;
    return a - b;
  }
  return end - start - (otherEnd - otherStart);
}
