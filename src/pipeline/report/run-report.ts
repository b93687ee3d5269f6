/**
 * The statistics of one run directory: what `litelong report --json` prints and what the HTML
 * report draws. Plain data, deterministic for the same run directory (no clock readings of
 * its own: times come from the manifest).
 */

/** Format marker of the JSON; bump `version` when a field changes meaning or is removed. */
export const RUN_REPORT_FORMAT = { format: "litelong-report", version: 1 } as const;

/** Bars of a histogram: `labels[i]` names the bin of `counts[i]`. */
export interface Histogram {
  labels: string[];
  counts: number[];
}

/** One stage of the manifest as the report shows it. */
export interface StageSummary {
  name: string;
  /** Wall-clock seconds the stage took when it last ran. */
  seconds: number;
  finishedAt: string;
  counts: Record<string, number>;
  facts: Record<string, string>;
}

/** Subjects, topics and output of one taxonomy section ("Computers"). */
export interface SectionSummary {
  section: string;
  subjects: number;
  /** Kept topics whose subject is in this section. */
  topics: number;
  topicsWithHits: number;
  topicsWithSamples: number;
  samples: number;
  tokens: number;
}

/** A counted reason why something was dropped or skipped, from a stage's counts. */
export interface DropReason {
  stage: string;
  /** The manifest count name ("documents.shortTail", "skipped.malformed-json"). */
  key: string;
  count: number;
  /** What the count means, when the report knows the key. */
  meaning: string;
}

/** A kept topic that produced fewer samples than it was allowed. */
export interface UnderfilledTopic {
  topicId: string;
  text: string;
  subjectId: string;
  section: string;
  hits: number;
  samples: number;
  reason: string;
}

/** An optional part of a run (debate, LLM usage, NExtLong); `present: false` says "not in this run". */
export type OptionalPart<T> = { present: false; note: string } | ({ present: true } & T);

/** Per proposing model: how its topics fared through critique and judgement. */
export interface DebateFlow {
  model: string;
  proposed: number;
  /** Topics every critic accepted. */
  acceptedByCritics: number;
  /** Topics that got no critique at all. */
  notCritiqued: number;
  /** Topics whose verdict is "removed": by the judge, as duplicates, or by the retention strategy. */
  removed: number;
  kept: number;
}

/** Key/value counts and facts a stage recorded, grouped by the prefix before the first dot. */
export interface GroupedFigures {
  group: string;
  name: string;
  value: string;
}

/** A removed topic (by the judge, as a duplicate, by retention) with the reasons recorded (LLM text: shown escaped). */
export interface RemovedTopic {
  topicId: string;
  text: string;
  proposedBy: string;
  reasons: string[];
}

export interface DebatePart {
  /** The topics stage's `topicSource` fact. */
  topicSource: string;
  flows: DebateFlow[];
  /** The first REMOVED_TOPICS_LISTED removed topics, in topic order. */
  removed: RemovedTopic[];
  /** Every count and fact of the topics stage, shown as recorded. */
  figures: GroupedFigures[];
}

export interface LlmUsagePart {
  /** Usage counts found in the manifest (`llm.*`, `usage.*`), shown as recorded. */
  figures: GroupedFigures[];
}

/** Spans of one NExtLong sample: counts and tokens by kind (from its `spans`). */
export interface SampleSpanCounts {
  sampleId: string;
  topicId: string;
  positives: number;
  negatives: number;
  positiveTokens: number;
  negativeTokens: number;
}

export interface NextLongPart {
  figures: GroupedFigures[];
  /** Every sample that carries spans, in file order (the page lists the first SPAN_ROWS_SHOWN). */
  samples: SampleSpanCounts[];
  /** Sums over `samples`. */
  totals: Omit<SampleSpanCounts, "sampleId" | "topicId"> & { samples: number };
}

/** Per topic, what the sample browser can show. */
export interface BrowsableTopic {
  topicId: string;
  text: string;
  subjectId: string;
  section: string;
  samples: BrowsableSample[];
}

/**
 * One sample in the browser. `embedded` says how much of its text the page carries: "full"
 * text, "excerpts" (the head of each document) or "none" (ids only; read it with inspect).
 */
export interface BrowsableSample {
  id: string;
  tokenCount: number;
  characters: number;
  docIds: string[];
  docOffsets: number[];
  /** True when the first document continues from the topic's previous sample. */
  continues: boolean;
  embedded: "full" | "excerpts" | "none";
  /** Full text when embedded is "full". */
  text?: string;
  /** First characters of each document when embedded is "excerpts". */
  excerpts?: string[];
  /**
   * NExtLong: character ranges [start, end) of hard-negative chunks in `text` (full text
   * only); the page marks them.
   */
  negativeSpans?: Array<[number, number]>;
}

/** What the sample browser embedded, so the page can say what it left out. */
export interface EmbeddingSummary {
  /** Budget of full sample text, in characters (UTF-16 code units). */
  fullTextBudget: number;
  /** Budget of document excerpts, in characters. */
  excerptBudget: number;
  /** Characters of each document's head kept in an excerpt. */
  excerptCharacters: number;
  /** Topics the browser lists at most. */
  topicLimit: number;
  /** Samples of listed topics embedded in full, as excerpts, or as ids only. */
  full: number;
  excerpts: number;
  none: number;
  /** Topics with samples beyond topicLimit, not listed. */
  topicsNotListed: number;
}

/** Everything the report knows about a run. */
export interface RunReport {
  format: typeof RUN_REPORT_FORMAT.format;
  version: typeof RUN_REPORT_FORMAT.version;
  run: {
    /** The run directory's name (its last path part). */
    name: string;
    directory: string;
    configHash: string;
    config: Record<string, unknown>;
    versions: Record<string, string>;
  };
  summary: {
    corpus: string[];
    corpusFiles: number | undefined;
    documents: number | undefined;
    characters: number | undefined;
    subjects: number;
    sections: number;
    topics: number;
    topicsKept: number;
    hits: number;
    samples: number;
    /** Samples flagged short (a topic's single shorter sample, --short-topics flag). */
    shortSamples: number;
    tokens: number;
    /** False when the samples carry no text (MDS-only runs keep provenance without text). */
    samplesHaveText: boolean;
    /** Target sample length in tokens, when the pack stage ran. */
    length: number | undefined;
    tokenizer: string | undefined;
    topicSource: string | undefined;
    totalSeconds: number;
  };
  stages: StageSummary[];
  sections: SectionSummary[];
  topicWordCounts: Histogram;
  hits: {
    perTopic: Histogram;
    /** Hits of every topic with hits, largest first (one point per topic). */
    perTopicRanked: number[];
    scores: Histogram;
    scoreMinimum: number | undefined;
    scoreMaximum: number | undefined;
    scoreMean: number | undefined;
  };
  samples: {
    lengths: Histogram;
    documentsPerSample: Histogram;
  };
  reuse: {
    /** Distinct documents by how many topics retrieved them. */
    retrievedByTopics: Histogram;
    /** Distinct documents by how many topics' samples contain them. */
    packedForTopics: Histogram;
    /** Set when more distinct documents appeared than the report tracks. */
    truncatedAfter: number | undefined;
  };
  drops: DropReason[];
  underfilled: UnderfilledTopic[];
  debate: OptionalPart<DebatePart>;
  llmUsage: OptionalPart<LlmUsagePart>;
  nextLong: OptionalPart<NextLongPart>;
  browser: {
    embedding: EmbeddingSummary;
    topics: BrowsableTopic[];
  };
}
