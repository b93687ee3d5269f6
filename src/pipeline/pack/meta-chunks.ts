import type { Tokenizer } from "../../tokenizer/tokenizer.js";

/** Sentence ends: terminal punctuation, optional closing quotes or brackets, then whitespace. */
const SENTENCE_END = /[.!?。！？][)"'\]\u201d\u2019]*\s+/gu;

/** The size of a meta-chunk: `size` characters (UTF-16 code units) or tokens of the run's tokenizer. */
export interface ChunkSize {
  size: number;
  unit: "characters" | "tokens";
}

/** Size of a piece of text in the chunk size's unit. */
export type TextMeasure = (text: string) => number;

const characterLength: TextMeasure = (text) => text.length;

/**
 * The meta-chunk splitter of a chunk size. Token sizes are counted piece by piece (lines,
 * sentences) and summed, so a chunk's own tokenization can differ from its sum by the rare
 * merge across a piece boundary; the pack stage and `litelong verify` both split with this
 * same function, so they always agree on the chunks.
 */
export function metaChunkSplitter(chunkSize: ChunkSize, tokenizer: Pick<Tokenizer, "count">): (text: string) => string[] {
  const measure: TextMeasure = chunkSize.unit === "tokens" ? (text) => tokenizer.count(text) : characterLength;
  return (text) => splitIntoMetaChunks(text, chunkSize.size, measure);
}

/**
 * Splits a document's text into meta-chunks of at most `target` each (NExtLong's unit), sizes
 * by `measure` (default characters): whole lines are grouped greedily; a line longer than the
 * target is cut at sentence ends, and a sentence longer than the target at its last space
 * within the longest prefix that fits (or, with no space, at that prefix's end). The chunks
 * concatenate back to `text` exactly, so each one is a verbatim stretch of its document.
 * Whitespace-only pieces join the chunk before them. `text` should start with a non-space
 * (documents are trimmed), or its first chunk may be blank.
 */
export function splitIntoMetaChunks(text: string, target: number, measure: TextMeasure = characterLength): string[] {
  if (!Number.isInteger(target) || target < 1) throw new RangeError(`chunk size must be a positive integer, got ${target}`);
  const chunks: string[] = [];
  let current = "";
  let currentSize = 0;
  for (const [piece, pieceSize] of pieces(text, target, measure)) {
    if (current.length > 0 && currentSize + pieceSize > target && piece.trim().length > 0) {
      chunks.push(current);
      current = "";
      currentSize = 0;
    }
    current += piece;
    currentSize += pieceSize;
  }
  if (current.length > 0) {
    if (current.trim().length === 0 && chunks.length > 0) chunks[chunks.length - 1] += current;
    else chunks.push(current);
  }
  return chunks;
}

/** Lines (with their newline) and their sizes, each cut further when longer than the target. */
function* pieces(text: string, target: number, measure: TextMeasure): Generator<[string, number]> {
  for (const line of text.split(/(?<=\n)/)) {
    const size = measure(line);
    if (size <= target) yield [line, size];
    else for (const sentence of splitAfter(line, SENTENCE_END)) yield* hardCuts(sentence, target, measure);
  }
}

/** `text` cut right after every match of `pattern` (which must be global). */
function splitAfter(text: string, pattern: RegExp): string[] {
  const parts: string[] = [];
  let start = 0;
  for (const match of text.matchAll(pattern)) {
    const end = match.index + match[0].length;
    if (end < text.length) {
      parts.push(text.slice(start, end));
      start = end;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** A piece longer than the target, cut after its last whitespace that keeps each part within it. */
function* hardCuts(piece: string, target: number, measure: TextMeasure): Generator<[string, number]> {
  let rest = piece;
  let restSize: number;
  while ((restSize = measure(rest)) > target) {
    const fits = fittingPrefix(rest, target, measure);
    const space = rest.slice(0, fits).search(/\s\S*$/);
    let cut = space >= 0 ? space + 1 : fits;
    // Never between the halves of an astral character (a one-character target keeps the pair whole).
    if ((rest.charCodeAt(cut) & 0xfc00) === 0xdc00) cut += cut > 1 ? -1 : 1;
    const part = rest.slice(0, cut);
    yield [part, measure(part)];
    rest = rest.slice(cut);
  }
  if (rest.length > 0) yield [rest, restSize];
}

/**
 * Length of the longest prefix of `text` (longer than the target) that measures within it, at
 * least one character so cutting always advances. Characters: the target itself; tokens: by
 * binary search (a prefix never has more tokens than a longer one).
 */
function fittingPrefix(text: string, target: number, measure: TextMeasure): number {
  if (measure === characterLength) return target;
  let low = 1;
  let high = text.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (measure(text.slice(0, middle)) <= target) low = middle;
    else high = middle - 1;
  }
  return low;
}
