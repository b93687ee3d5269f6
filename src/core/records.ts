/**
 * The records that flow between stages. Plain, serializable, defined once here; every stage
 * reads and writes them as JSON lines in the run directory.
 */

/** One heading of a subject taxonomy (a BISAC heading by default). */
export interface Subject {
  /** Stable id: the taxonomy code when it has one, else a slug of the label path. */
  id: string;
  /** Taxonomy code (BISAC "COM051360"), when the source has one. */
  code?: string;
  /** Top-level section ("Computers"). Equal to path[0]. */
  section: string;
  /** Label path from the section down ("Computers", "Programming Languages", "Python"). */
  path: string[];
  /** The path joined with " / ". */
  label: string;
  /** Free-text notes for topic generation (the HF layout's subtopic hints). */
  notes?: string;
  /** Categories topics must avoid (the HF layout's `not` column). */
  avoid?: string[];
  /** How many topics to ask for (the HF layout's expansion_factor). */
  topicsWanted?: number;
}

/** A critic's verdict on one proposed topic (debate issue). */
export interface Critique {
  critic: string;
  action: "accept" | "reject";
  reason: string;
}

/** A retrieval query about one subject. */
export interface Topic {
  /** Stable id, unique within a run. */
  id: string;
  subjectId: string;
  /** The topic title; it is the retrieval query. */
  text: string;
  explanation: string;
  /** Who produced the topic: a model name, "headings" or "file". */
  proposedBy: string;
  critiques: Critique[];
  verdict: "kept" | "removed";
  reasons: string[];
}

/** Where a document's text lives, so it can be read back without a copy in the index. */
export type DocumentLocator =
  /** A JSONL line. byteOffset/byteLength are in the decompressed stream. */
  | { kind: "line"; line: number; byteOffset: number; byteLength: number }
  /** A parquet row (0-based across the whole file). */
  | { kind: "row"; row: number }
  /** A whole text file. */
  | { kind: "file" };

export interface DocumentSource {
  /** Path of the corpus file as given (resolved to absolute). */
  file: string;
  locator: DocumentLocator;
}

export interface CorpusDocument {
  /** Stable id: the record's id field, else derived from file and position. */
  id: string;
  text: string;
  source: DocumentSource;
}

/** Ranked retrieval results of one topic. */
export interface Hits {
  topicId: string;
  /** Match mode that produced these hits. */
  match: "all" | "any";
  docIds: string[];
  scores: number[];
}

/** One training sample: exactly `tokenCount` tokens of documents about one topic. */
export interface Sample {
  id: string;
  topicId: string;
  subjectId: string;
  topic: string;
  /** The subject's section (MDS `domain`), "custom" for topics from a file. */
  domain: string;
  /** Documents in the sample, in order; the first and last may be partial. */
  docIds: string[];
  /** Character offset in `text` where each of docIds starts. */
  docOffsets: number[];
  /** [start, end) token range of each of docIds in the sample's ids; together they cover all ids (a BOS joins the first document, an EOS the last). */
  docTokenSpans: Array<[number, number]>;
  tokenizer: string;
  /** Token count including boundary tokens: the target length, unless `short`. */
  tokenCount: number;
  /** Set on a topic's single shorter sample when short topics are flagged instead of dropped. */
  short?: true;
  /**
   * NExtLong runs only: one entry per entry of docIds, saying whether that stretch is a meta-chunk
   * of the topic's own document (positive) or a hard negative from another document, which chunk
   * of that document it is, and its [start, end) tokens (equal to docTokenSpans).
   */
  spans?: SampleSpan[];
  text: string;
}

/** A stretch of a NExtLong sample: meta-chunk `chunk` (0-based) of document `docId`. */
export interface SampleSpan {
  kind: "positive" | "negative";
  docId: string;
  chunk: number;
  tokens: [number, number];
}
