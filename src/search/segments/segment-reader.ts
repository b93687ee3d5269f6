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

  /**
   * The ordinal of the term with these UTF-8 bytes in this segment's dictionary, or -1: a binary
   * search over the stored bytes, so no string is decoded per probe.
   */
  findTermBytes(term: Uint8Array): number {
    const { termOffsets, termBytes } = this.parts;
    let low = 0;
    let high = this.parts.termCount - 1;
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

/**
 * Compares stored[start..end) with `other`, both UTF-8, in the order of the strings they encode
 * under JavaScript's `<` (UTF-16 code units), which the dictionary is sorted in. Byte order is
 * code point order, and the two differ only between U+E000..U+FFFF (lead byte 0xEE or 0xEF) and
 * characters above U+FFFF (lead byte 0xF0..0xF4, surrogates in UTF-16, so smaller there). The
 * first differing byte is either within one character (same lead byte, orders agree) or is two
 * lead bytes, where that one case is swapped.
 */
export function compareUtf8AsUtf16(stored: Uint8Array, start: number, end: number, other: Uint8Array): number {
  const length = Math.min(end - start, other.length);
  for (let i = 0; i < length; i++) {
    const a = stored[start + i]!;
    const b = other[i]!;
    if (a === b) continue;
    if (a >= 0xee && b >= 0xee && a < 0xf8 && b < 0xf8 && (a >= 0xf0) !== (b >= 0xf0)) return a >= 0xf0 ? -1 : 1;
    return a - b;
  }
  return end - start - other.length;
}
