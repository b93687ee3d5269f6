import { z } from "zod";

/** BM25 parameters. Defaults are Anserini's (k1 0.9, b 0.4). */
export const bm25ParametersSchema = z.strictObject({
  /** Term-frequency saturation, >= 0. Default 0.9. */
  k1: z.number().min(0).default(0.9),
  /** Document-length normalisation, 0 (none) to 1 (full). Default 0.4. */
  b: z.number().min(0).max(1).default(0.4),
});
export type Bm25Parameters = z.infer<typeof bm25ParametersSchema>;

export const DEFAULT_BM25: Bm25Parameters = bm25ParametersSchema.parse({});

/**
 * Inverse document frequency as Lucene computes it: ln(1 + (N - df + 0.5) / (df + 0.5)).
 * Always positive, so a term present in most documents still adds a little.
 */
export function bm25Idf(documentCount: number, documentFrequency: number): number {
  return Math.log(1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

/**
 * One term's BM25 contribution, in Lucene's form (without the constant (k1 + 1) factor, which
 * does not change rankings), so scores are comparable with Lucene/Anserini runs.
 */
export function bm25TermScore(
  idf: number,
  termFrequency: number,
  documentLength: number,
  averageDocumentLength: number,
  parameters: Bm25Parameters,
): number {
  return bm25ScoreWithNorm(idf, termFrequency, bm25LengthNorm(documentLength, averageDocumentLength, parameters));
}

/** The part of the BM25 denominator set by document length; engines may tabulate it per length (same bits). */
export function bm25LengthNorm(documentLength: number, averageDocumentLength: number, parameters: Bm25Parameters): number {
  const { k1, b } = parameters;
  return k1 * (1 - b + (b * documentLength) / averageDocumentLength);
}

/** bm25TermScore given the document's length norm. */
export function bm25ScoreWithNorm(idf: number, termFrequency: number, norm: number): number {
  return (idf * termFrequency) / (termFrequency + norm);
}

/** Longest document length tabulated; longer documents have their norm computed when scored. */
const NORM_TABLE_LIMIT = 1 << 16;

/** bm25LengthNorm for one average length and parameter set, tabulated by length: scoring reads it per posting. */
export class LengthNormTable {
  private readonly table: Float64Array;

  constructor(readonly averageDocumentLength: number, readonly parameters: Bm25Parameters, longestDocument: number) {
    this.table = new Float64Array(Math.min(longestDocument, NORM_TABLE_LIMIT - 1) + 1);
    for (let length = 0; length < this.table.length; length++) this.table[length] = bm25LengthNorm(length, averageDocumentLength, parameters);
  }

  norm(documentLength: number): number {
    return documentLength < this.table.length ? this.table[documentLength]! : bm25LengthNorm(documentLength, this.averageDocumentLength, this.parameters);
  }

  /** Whether the table was made for these parameters. */
  fits(parameters: Bm25Parameters): boolean {
    return parameters.k1 === this.parameters.k1 && parameters.b === this.parameters.b;
  }
}
