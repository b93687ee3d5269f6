import type { DocumentLocator, DocumentSource } from "../../core/records.js";
import { hashDocumentId, type SegmentParts } from "./segment-parts.js";

const textDecoder = new TextDecoder();

/** Read access to one segment: terms, documents and their sources. */
export class SegmentReader {
  constructor(readonly parts: SegmentParts) {}

  get docCount(): number {
    return this.parts.docCount;
  }

  term(ordinal: number): string {
    const { termOffsets, termBytes } = this.parts;
    return textDecoder.decode(termBytes.subarray(termOffsets[ordinal]!, termOffsets[ordinal + 1]!));
  }

  /** The term's ordinal in this segment's dictionary, or -1 (binary search in JavaScript string order). */
  findTerm(term: string): number {
    let low = 0;
    let high = this.parts.termCount - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const found = this.term(middle);
      if (found === term) return middle;
      if (found < term) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  docId(document: number): string {
    const { idOffsets, idBytes } = this.parts;
    return textDecoder.decode(idBytes.subarray(idOffsets[document]!, idOffsets[document + 1]!));
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
    const file = this.parts.files[this.parts.sourceFile[document]!]!;
    const numbers = this.parts.sourceNumbers;
    const first = numbers[3 * document]!;
    let locator: DocumentLocator;
    if (file.kind === "line") locator = { kind: "line", line: first, byteOffset: numbers[3 * document + 1]!, byteLength: numbers[3 * document + 2]! };
    else if (file.kind === "row") locator = { kind: "row", row: first };
    else locator = { kind: "file" };
    return { file: file.path, locator };
  }
}
