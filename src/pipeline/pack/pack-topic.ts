import { createHash } from "node:crypto";
import type { Tokenizer } from "../../tokenizer/tokenizer.js";
import { findExactTokenCut } from "./exact-token-cut.js";

export interface PackOptions {
  /** Exact token count of every sample (no special tokens added). */
  length: number;
  /** At most this many samples per topic. */
  samplesPerTopic: number;
  /** Text placed between consecutive documents. */
  separator: string;
}

export interface PackableDocument {
  id: string;
  text: string;
}

export interface PackedSample {
  docIds: string[];
  docOffsets: number[];
  tokenCount: number;
  text: string;
}

/** Where each retrieved document went; every document is counted exactly once. */
export interface PackCounts {
  /** Documents that contributed text to at least one sample. */
  used: number;
  /** Identical text (after trimming) to an earlier document of the topic. */
  duplicate: number;
  /** Nothing left after trimming whitespace. */
  empty: number;
  /** Not reached because the topic already had samplesPerTopic samples. */
  overflow: number;
  /** In the final stretch that was too short for one more full sample. */
  shortTail: number;
}

export interface PackResult {
  samples: PackedSample[];
  counts: PackCounts;
  /** Characters dropped at sample starts where no exact cut existed (rare; see findExactTokenCut). */
  skippedCharacters: number;
}

/**
 * Packs one topic's documents, in the order given, into samples of exactly `options.length`
 * tokens: documents are trimmed, exact duplicates dropped, joined with the separator, and the
 * stream is cut at exact token boundaries (the boundary document continues in the next sample).
 * The final stretch shorter than one sample is not emitted; it is counted.
 */
export function packTopic(documents: readonly PackableDocument[], tokenizer: Tokenizer, options: PackOptions): PackResult {
  const counts: PackCounts = { used: 0, duplicate: 0, empty: 0, overflow: 0, shortTail: 0 };
  const stream = joinUnique(documents, options.separator, counts);
  const samples: PackedSample[] = [];
  let start = 0;
  let skippedCharacters = 0;
  while (samples.length < options.samplesPerTopic) {
    start = skipWhitespace(stream.text, start);
    const cut = findExactTokenCut(tokenizer, stream.text, start, options.length);
    if (cut === undefined) break;
    skippedCharacters += cut.start - start;
    samples.push(sliceSample(stream, cut.start, cut.end, options.length));
    start = cut.end;
  }
  countFates(stream, samples.length === 0 ? 0 : start, samples.length === options.samplesPerTopic, counts);
  return { samples, counts, skippedCharacters };
}

interface DocumentStream {
  text: string;
  ids: string[];
  /** Start offset of each document in `text`. */
  starts: number[];
  /** End offset (exclusive) of each document in `text`. */
  ends: number[];
}

function joinUnique(documents: readonly PackableDocument[], separator: string, counts: PackCounts): DocumentStream {
  const seen = new Set<string>();
  const parts: string[] = [];
  const stream: DocumentStream = { text: "", ids: [], starts: [], ends: [] };
  let offset = 0;
  for (const document of documents) {
    const text = document.text.trim();
    if (text.length === 0) {
      counts.empty++;
      continue;
    }
    const digest = createHash("sha1").update(text).digest("base64");
    if (seen.has(digest)) {
      counts.duplicate++;
      continue;
    }
    seen.add(digest);
    if (parts.length > 0) {
      parts.push(separator);
      offset += separator.length;
    }
    stream.ids.push(document.id);
    stream.starts.push(offset);
    parts.push(text);
    offset += text.length;
    stream.ends.push(offset);
  }
  stream.text = parts.join("");
  return stream;
}

function sliceSample(stream: DocumentStream, start: number, end: number, tokenCount: number): PackedSample {
  const docIds: string[] = [];
  const docOffsets: number[] = [];
  for (let i = 0; i < stream.ids.length; i++) {
    if (stream.ends[i]! <= start || stream.starts[i]! >= end) continue;
    docIds.push(stream.ids[i]!);
    docOffsets.push(Math.max(0, stream.starts[i]! - start));
  }
  return { docIds, docOffsets, tokenCount, text: stream.text.slice(start, end) };
}

/** Every unique document is used, or lies past the last sample (overflow or short tail). */
function countFates(stream: DocumentStream, packedUntil: number, capped: boolean, counts: PackCounts): void {
  for (let i = 0; i < stream.ids.length; i++) {
    if (stream.starts[i]! < packedUntil) counts.used++;
    else if (capped) counts.overflow++;
    else counts.shortTail++;
  }
}

function skipWhitespace(text: string, index: number): number {
  while (index < text.length && /\s/.test(text[index]!)) index++;
  return index;
}
