import type { SampleSpan } from "../../core/records.js";
import type { Tokenizer } from "../../tokenizer/tokenizer.js";
import { boundaryFrame, cutSamples, type PackedSample, type PackOptions } from "./pack-topic.js";
import { TokenStream, type StreamUnit } from "./token-stream.js";

/** Meta-chunk `chunk` (0-based) of document `docId`. */
export interface ChunkReference {
  docId: string;
  chunk: number;
}

/** A chunk placed in a topic's stream: one of the topic's own (positive) or a hard negative. */
export interface PlacedChunk extends ChunkReference {
  kind: SampleSpan["kind"];
}

export interface InterleaveOptions {
  /** Negatives placed after each positive chunk (between it and the next positive). */
  negativesPerGap: number;
  /** Documents no negative may come from (the topic's own, with --negatives-exclude-topic). */
  excludedDocuments?: ReadonlySet<string>;
}

export interface InterleavedChunks {
  placed: PlacedChunk[];
  /** Ordinals of the positives whose gap got fewer than negativesPerGap negatives (not enough distinct candidates). */
  shortGaps: number[];
}

/**
 * NExtLong's order: the positive chunks in their order, each followed by its first
 * `negativesPerGap` candidates that come from another document, are not excluded and were not
 * already placed in this stream (so no distractor repeats). `candidatesOf` gives a chunk's
 * hard negatives, best first. The last positive gets no negatives: nothing follows it.
 */
export function interleaveNegatives(positives: readonly ChunkReference[], candidatesOf: (positive: ChunkReference) => readonly ChunkReference[], options: InterleaveOptions): InterleavedChunks {
  const placed: PlacedChunk[] = [];
  const usedNegatives = new Set<string>();
  const shortGaps: number[] = [];
  positives.forEach((positive, i) => {
    placed.push({ kind: "positive", ...positive });
    if (i === positives.length - 1 || options.negativesPerGap === 0) return;
    let added = 0;
    for (const candidate of candidatesOf(positive)) {
      if (added === options.negativesPerGap) break;
      const key = chunkKey(candidate);
      if (candidate.docId === positive.docId || options.excludedDocuments?.has(candidate.docId) || usedNegatives.has(key)) continue;
      usedNegatives.add(key);
      placed.push({ kind: "negative", ...candidate });
      added++;
    }
    if (added < options.negativesPerGap) shortGaps.push(i);
  });
  return { placed, shortGaps };
}

/** The id of a chunk in the chunk index: `<docId>#<chunk>`. */
export function chunkKey(reference: ChunkReference): string {
  return `${reference.docId}#${reference.chunk}`;
}

/** A sample of interleaved chunks: docIds name each stretch's document, spans say what it is. */
export type InterleavedSample = PackedSample & { spans: SampleSpan[] };

export interface InterleavedPacking {
  samples: InterleavedSample[];
  /** Positive chunks that start before the end of the last sample. */
  positivesUsed: number;
  negativesUsed: number;
  skippedCharacters: number;
}

/**
 * Cuts a stream of placed chunks (each as trimmed text + separator, tokenized) into samples of
 * exactly `options.length` tokens with the same exact-cut machinery as plain packing, and marks
 * each stretch of each sample as a positive or negative span.
 */
export function packInterleaved(chunks: ReadonlyArray<PlacedChunk & { text: string; ids: Uint32Array }>, tokenizer: Tokenizer, options: Pick<PackOptions, "length" | "samplesPerTopic" | "shortTopics" | "boundaryTokens">): InterleavedPacking {
  const units: StreamUnit[] = chunks.map((chunk) => ({ docId: chunk.docId, text: chunk.text, ids: chunk.ids }));
  const stream = new TokenStream(units, tokenizer.tokenByteLengths);
  const cuts = cutSamples(stream, tokenizer, boundaryFrame(tokenizer, options.boundaryTokens), options);
  const samples = cuts.samples.map((sample, n): InterleavedSample => {
    const spans = sample.docTokenSpans.map((tokens, i): SampleSpan => {
      const { kind, docId, chunk } = chunks[cuts.firstUnits[n]! + i]!;
      return { kind, docId, chunk, tokens };
    });
    return { ...sample, spans };
  });
  let positivesUsed = 0;
  let negativesUsed = 0;
  for (let unit = 0; unit < chunks.length && stream.unitCharStarts[unit]! < cuts.packedUntil; unit++) {
    if (chunks[unit]!.kind === "positive") positivesUsed++;
    else negativesUsed++;
  }
  return { samples, positivesUsed, negativesUsed, skippedCharacters: cuts.skippedCharacters };
}
