import { createHash } from "node:crypto";
import type { Tokenizer } from "../../tokenizer/tokenizer.js";
import { bestFitOrder } from "./best-fit-order.js";
import { findNearDuplicates, minHashSignature } from "./near-duplicates.js";
import { cutFromStream, type StreamCut } from "./stream-cut.js";
import { TokenStream, type StreamUnit } from "./token-stream.js";

/** Special tokens framing each sample: none, a BOS first, an EOS last, or both. */
export type BoundaryTokens = "none" | "bos" | "eos" | "both";

export interface PackOptions {
  /** Exact token count of every sample, boundary tokens included. */
  length: number;
  /** At most this many samples per topic. */
  samplesPerTopic: number;
  /** Whitespace ending in a newline, placed after every document. */
  separator: string;
  boundaryTokens: BoundaryTokens;
  /** Cut the boundary document (true, the default) or move it to the next sample and fill with the best-fitting others. */
  split: boolean;
  /** A document longer than a sample: "split" over consecutive samples, or "skip" it. */
  longDocuments: "split" | "skip";
  /** A topic that fills no sample: "drop" it, or "flag" one shorter sample marked short. */
  shortTopics: "drop" | "flag";
  /** Estimated Jaccard similarity at which a document counts as a near-duplicate; 1 = off. */
  nearDuplicateThreshold: number;
}

export interface PackableDocument {
  id: string;
  text: string;
}

export interface PackedSample {
  docIds: string[];
  /** Character offset in `text` where each document starts (the first may start mid-way). */
  docOffsets: number[];
  /** [start, end) of each document in `ids`, covering all of it (BOS joins the first, EOS the last). */
  docTokenSpans: Array<[number, number]>;
  /** Token ids: boundary tokens plus exactly what `text` tokenizes to. */
  ids: Uint32Array;
  text: string;
  /** Set on the one shorter-than-length sample of a topic that could not fill any. */
  short?: true;
}

/** Where each retrieved document went; every document is counted exactly once. */
export interface PackCounts {
  used: number;
  duplicate: number;
  nearDuplicate: number;
  empty: number;
  tooLong: number;
  overflow: number;
  shortTail: number;
}

export interface PreparedUnits {
  /** Documents that survive preparation, each as separator-terminated normalized text. */
  units: Array<{ docId: string; text: string }>;
  counts: PackCounts;
}

export interface PackResult {
  samples: PackedSample[];
  counts: PackCounts;
  /** Characters dropped at sample starts where no exact cut existed (rare; see findExactTokenCut). */
  skippedCharacters: number;
}

/** MinHash signatures by document id, reused across topics and prefix re-reads; the oldest go first past `limit`. */
export class SignatureCache {
  private readonly signatures = new Map<string, Uint32Array>();

  /** @param limit signatures kept at most (256 bytes each); default 500,000 */
  constructor(private readonly limit = 500_000) {}

  signatureOf(unit: { docId: string; text: string }): Uint32Array {
    let signature = this.signatures.get(unit.docId);
    if (!signature) {
      signature = minHashSignature(unit.text);
      if (this.signatures.size >= this.limit) this.signatures.delete(this.signatures.keys().next().value!);
      if (this.limit > 0) this.signatures.set(unit.docId, signature);
    }
    return signature;
  }
}

export function emptyCounts(): PackCounts {
  return { used: 0, duplicate: 0, nearDuplicate: 0, empty: 0, tooLong: 0, overflow: 0, shortTail: 0 };
}

/**
 * First half of packing (pure, cheap): trim and normalize documents, drop empty, duplicate and
 * near-duplicate ones, and append the separator. The caller tokenizes the unit texts (on
 * workers) and hands the ids to packUnits.
 */
export function prepareUnits(
  documents: readonly PackableDocument[],
  normalize: (text: string) => string,
  options: PackOptions,
  signatures = new SignatureCache(),
): PreparedUnits {
  const counts = emptyCounts();
  const seen = new Set<string>();
  const kept: Array<{ docId: string; text: string }> = [];
  for (const document of documents) {
    const text = normalize(document.text).trim();
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
    kept.push({ docId: document.id, text });
  }
  const near = options.nearDuplicateThreshold < 1 ? findNearDuplicates(kept.map((unit) => signatures.signatureOf(unit)), options.nearDuplicateThreshold) : [];
  const units = kept.filter((_, i) => !near[i]).map((unit) => ({ docId: unit.docId, text: unit.text + options.separator }));
  counts.nearDuplicate = kept.length - units.length;
  return { units, counts };
}

/**
 * Second half of packing: cuts the tokenized units into samples of exactly `options.length`
 * tokens. The boundary document continues in the next sample; the final stretch shorter than a
 * sample is counted, not emitted (unless the topic filled nothing and short topics are flagged).
 */
export function packUnits(units: readonly StreamUnit[], prepared: PackCounts, tokenizer: Tokenizer, options: PackOptions): PackResult {
  const counts = { ...prepared };
  const frame = boundaryFrame(tokenizer, options.boundaryTokens);
  const contentLength = options.length - frame.before.length - frame.after.length;
  const fitting = options.longDocuments === "skip" ? units.filter((unit) => unit.ids.length <= contentLength) : units;
  counts.tooLong += units.length - fitting.length;
  const ordered = options.split ? fitting : bestFitOrder(fitting, contentLength, options.samplesPerTopic);
  const stream = new TokenStream(ordered, tokenizer.tokenByteLengths);
  const cuts = cutSamples(stream, tokenizer, frame, options);
  countFates(stream, cuts.packedUntil, cuts.samples.length === options.samplesPerTopic, counts);
  return { samples: cuts.samples, counts, skippedCharacters: cuts.skippedCharacters };
}

/** Samples cut from a stream, with the stream unit each one starts in. */
export interface StreamSamples {
  samples: PackedSample[];
  /** Index in the stream's units of each sample's first unit. */
  firstUnits: number[];
  /** Character of the stream where packing stopped (0 when nothing was packed). */
  packedUntil: number;
  skippedCharacters: number;
}

/**
 * Cuts consecutive samples of exactly `options.length` tokens (frame included) off the stream,
 * at most `options.samplesPerTopic`; with short topics flagged, a stream that fills none gives
 * one shorter sample.
 */
export function cutSamples(stream: TokenStream, tokenizer: Tokenizer, frame: Frame, options: Pick<PackOptions, "length" | "samplesPerTopic" | "shortTopics">): StreamSamples {
  const contentLength = options.length - frame.before.length - frame.after.length;
  const samples: PackedSample[] = [];
  const firstUnits: number[] = [];
  let start = 0;
  let skippedCharacters = 0;
  while (samples.length < options.samplesPerTopic) {
    start = skipWhitespace(stream.text, start);
    const cut = cutFromStream(stream, tokenizer, start, contentLength);
    if (cut === undefined) break;
    skippedCharacters += cut.start - start;
    samples.push(framedSample(stream, tokenizer, cut, frame));
    firstUnits.push(stream.unitAtChar(cut.start));
    start = cut.end;
  }
  if (samples.length === 0 && options.shortTopics === "flag" && stream.text.trim().length > 0) {
    const end = stream.text.trimEnd().length;
    const ids = tokenizer.encode(stream.text.slice(0, end));
    const aligned = tokenizer.splitsAtWordStarts ? { headTokens: 0, streamToken: 0 } : undefined;
    samples.push({ ...framedSample(stream, tokenizer, { start: 0, end, ids, ...(aligned ? { aligned } : {}) }, frame), short: true });
    firstUnits.push(0);
    start = stream.text.length;
  }
  return { samples, firstUnits, packedUntil: samples.length === 0 ? 0 : start, skippedCharacters };
}

export interface Frame {
  before: Uint32Array;
  after: Uint32Array;
}

export function boundaryFrame(tokenizer: Tokenizer, policy: BoundaryTokens): Frame {
  const { bos, eos } = tokenizer.specialTokens;
  const wantsBos = policy === "bos" || policy === "both";
  const wantsEos = policy === "eos" || policy === "both";
  if (wantsBos && bos === undefined) throw new Error(`tokenizer ${tokenizer.name} has no BOS token`);
  if (wantsEos && eos === undefined) throw new Error(`tokenizer ${tokenizer.name} has no EOS token`);
  return { before: Uint32Array.from(wantsBos ? [bos!] : []), after: Uint32Array.from(wantsEos ? [eos!] : []) };
}

function framedSample(stream: TokenStream, tokenizer: Tokenizer, cut: StreamCut, frame: Frame): PackedSample {
  const ids = new Uint32Array(frame.before.length + cut.ids.length + frame.after.length);
  ids.set(frame.before, 0);
  ids.set(cut.ids, frame.before.length);
  ids.set(frame.after, frame.before.length + cut.ids.length);
  const text = stream.text.slice(cut.start, cut.end);
  const docIds: string[] = [];
  const docOffsets: number[] = [];
  const spanStarts: number[] = [];
  const lastUnit = stream.unitAtChar(Math.max(cut.start, cut.end - 1));
  for (let unit = stream.unitAtChar(cut.start); unit <= lastUnit; unit++) {
    const offset = Math.max(0, stream.unitCharStarts[unit]! - cut.start);
    docIds.push(stream.units[unit]!.docId);
    docOffsets.push(offset);
    spanStarts.push(offset === 0 ? 0 : frame.before.length + contentTokensBefore(stream, tokenizer, cut, unit, offset, text));
  }
  const docTokenSpans = spanStarts.map((spanStart, i): [number, number] => [spanStart, spanStarts[i + 1] ?? ids.length]);
  return { docIds, docOffsets, docTokenSpans, ids, text };
}

/**
 * Content tokens before a document's start. Inner document starts lie in the stretch where the
 * sample reuses the stream's ids, so their offset is read off the stream; without alignment
 * (general tokenizers) the prefix is counted.
 */
function contentTokensBefore(stream: TokenStream, tokenizer: Tokenizer, cut: StreamCut, unit: number, offset: number, text: string): number {
  if (cut.aligned) return cut.aligned.headTokens + stream.unitTokenStarts[unit]! - cut.aligned.streamToken;
  return tokenizer.count(text.slice(0, offset));
}

/** Every unit is used, or lies past the last sample (overflow when capped, else short tail). */
function countFates(stream: TokenStream, packedUntil: number, capped: boolean, counts: PackCounts): void {
  for (let unit = 0; unit < stream.units.length; unit++) {
    if (stream.unitCharStarts[unit]! < packedUntil) counts.used++;
    else if (capped) counts.overflow++;
    else counts.shortTail++;
  }
}

function skipWhitespace(text: string, index: number): number {
  while (index < text.length && /\s/.test(text[index]!)) index++;
  return index;
}

/** Both halves on the calling thread: for library use and tests (the pack stage uses workers). */
export function packDocuments(documents: readonly PackableDocument[], tokenizer: Tokenizer, options: PackOptions): PackResult {
  const prepared = prepareUnits(documents, (text) => tokenizer.normalize(text), options);
  const units = prepared.units.map((unit) => ({ ...unit, ids: tokenizer.encode(unit.text) }));
  return packUnits(units, prepared.counts, tokenizer, options);
}
