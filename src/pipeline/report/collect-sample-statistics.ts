import { DistinctCounter, DEFAULT_TRACKED_IDS } from "./distinct-counter.js";
import { IntegerCounter } from "./histogram.js";
import type { ReportSample } from "./read-run-samples.js";
import type { BrowsableSample, EmbeddingSummary, SampleSpanCounts } from "./run-report.js";

/** How much sample text the report page carries; see EmbeddingSummary. */
export interface EmbeddingBudget {
  /** Characters of full sample text. Default 6,000,000 (about 11 samples of 128K tokens). */
  fullText: number;
  /** Characters of document excerpts. Default 1,000,000. */
  excerpts: number;
  /** Characters kept from the head of each document in an excerpt. Default 240. */
  excerptCharacters: number;
  /**
   * Topics listed in the sample browser (each sample listed carries its document ids even
   * without text). Default 2,000, so 32K topics × 4 samples do not put 13M ids in the page.
   */
  topics: number;
}

export const DEFAULT_EMBEDDING_BUDGET: EmbeddingBudget = { fullText: 6_000_000, excerpts: 1_000_000, excerptCharacters: 240, topics: 2_000 };

export interface SampleStatistics {
  samples: number;
  tokens: number;
  lengths: IntegerCounter;
  documentsPerSample: IntegerCounter;
  /** Samples per topic id, for every topic with samples. */
  samplesPerTopic: Map<string, number>;
  /** Per topic id, for the first `budget.topics` topics: samples in file order, text as the budget allows. */
  browsable: Map<string, BrowsableSample[]>;
  /** Per sample domain (else subject id, for runs before samples had a domain): samples and tokens. */
  byDomain: Map<string, { samples: number; tokens: number; fromSubject: boolean }>;
  /** Samples flagged short (a topic's single shorter sample). */
  shortSamples: number;
  /** True when any sample carried text. */
  hasText: boolean;
  /** Documents by how many topics' samples contain them. */
  packedForTopics: DistinctCounter;
  embedding: EmbeddingSummary;
  /** Per NExtLong sample (one with spans), in file order. */
  spanCounts: SampleSpanCounts[];
}

/**
 * Reads every sample once, streaming (a 128K-token sample is ~0.5 MB, so samples are never all
 * in memory), and keeps counts plus what the sample browser embeds. Full text goes to the first
 * sample of each topic while the full-text budget lasts; other samples get per-document
 * excerpts while that budget lasts; the rest carry only ids.
 */
export async function collectSampleStatistics(
  samples: AsyncIterable<ReportSample>,
  budget: EmbeddingBudget = DEFAULT_EMBEDDING_BUDGET,
  trackedIds = DEFAULT_TRACKED_IDS,
): Promise<SampleStatistics> {
  const statistics: SampleStatistics = {
    samples: 0,
    tokens: 0,
    lengths: new IntegerCounter(),
    documentsPerSample: new IntegerCounter(),
    samplesPerTopic: new Map(),
    browsable: new Map(),
    byDomain: new Map(),
    shortSamples: 0,
    hasText: false,
    packedForTopics: new DistinctCounter(trackedIds),
    spanCounts: [],
    embedding: { fullTextBudget: budget.fullText, excerptBudget: budget.excerpts, excerptCharacters: budget.excerptCharacters, topicLimit: budget.topics, full: 0, excerpts: 0, none: 0, topicsNotListed: 0 },
  };
  const remaining = { fullText: budget.fullText, excerpts: budget.excerpts };
  // Samples of a topic are written together, so a topic's documents are counted once per topic
  // by collecting them until the topic changes.
  let currentTopic: string | undefined;
  let previousLastDocument: string | undefined;
  let topicDocuments = new Set<string>();
  const flushTopic = () => {
    for (const id of topicDocuments) statistics.packedForTopics.add(id);
    topicDocuments = new Set();
  };
  for await (const sample of samples) {
    const firstOfTopic = sample.topicId !== currentTopic;
    if (firstOfTopic) {
      flushTopic();
      currentTopic = sample.topicId;
      previousLastDocument = undefined;
    }
    for (const id of sample.docIds) topicDocuments.add(id);
    countSample(statistics, sample);
    const continues = previousLastDocument !== undefined && previousLastDocument === sample.docIds[0];
    previousLastDocument = sample.docIds[sample.docIds.length - 1];
    const listed = statistics.browsable.get(sample.topicId) ?? (statistics.browsable.size < budget.topics ? [] : undefined);
    if (!listed) {
      if (firstOfTopic) statistics.embedding.topicsNotListed++;
      continue;
    }
    statistics.browsable.set(sample.topicId, listed);
    const browsable = browsableSample(sample, listed.length === 0, continues, budget, remaining);
    statistics.embedding[browsable.embedded]++;
    listed.push(browsable);
  }
  flushTopic();
  return statistics;
}

function countSample(statistics: SampleStatistics, sample: ReportSample): void {
  statistics.samples++;
  statistics.samplesPerTopic.set(sample.topicId, (statistics.samplesPerTopic.get(sample.topicId) ?? 0) + 1);
  statistics.tokens += sample.tokenCount;
  statistics.lengths.add(sample.tokenCount);
  statistics.documentsPerSample.add(sample.docIds.length);
  if (sample.short) statistics.shortSamples++;
  if (sample.text !== undefined) statistics.hasText = true;
  const key = sample.domain ?? sample.subjectId;
  const domain = statistics.byDomain.get(key) ?? { samples: 0, tokens: 0, fromSubject: sample.domain === undefined };
  domain.samples++;
  domain.tokens += sample.tokenCount;
  statistics.byDomain.set(key, domain);
  if (sample.spans) statistics.spanCounts.push(spanCounts(sample, sample.spans));
}

function spanCounts(sample: ReportSample, spans: NonNullable<ReportSample["spans"]>): SampleSpanCounts {
  const counts: SampleSpanCounts = { sampleId: sample.id, topicId: sample.topicId, positives: 0, negatives: 0, positiveTokens: 0, negativeTokens: 0 };
  for (const { kind, tokens } of spans) {
    counts[kind === "positive" ? "positives" : "negatives"]++;
    counts[kind === "positive" ? "positiveTokens" : "negativeTokens"] += tokens[1] - tokens[0];
  }
  return counts;
}

/** Character ranges of a sample's negative stretches (stretch i runs from docOffsets[i] to the next). */
function negativeRanges(sample: ReportSample, textLength: number): Array<[number, number]> {
  return (sample.spans ?? []).flatMap((span, i): Array<[number, number]> => (span.kind === "negative" ? [[sample.docOffsets[i]!, sample.docOffsets[i + 1] ?? textLength]] : []));
}

function browsableSample(
  sample: ReportSample,
  firstOfTopic: boolean,
  continues: boolean,
  budget: EmbeddingBudget,
  remaining: { fullText: number; excerpts: number },
): BrowsableSample {
  const base = {
    id: sample.id,
    tokenCount: sample.tokenCount,
    characters: sample.text?.length ?? 0,
    docIds: sample.docIds,
    docOffsets: sample.docOffsets,
    continues,
  };
  const text = sample.text;
  if (text === undefined) return { ...base, embedded: "none" };
  if (firstOfTopic && text.length <= remaining.fullText) {
    remaining.fullText -= text.length;
    return { ...base, embedded: "full", text, ...(sample.spans ? { negativeSpans: negativeRanges(sample, text.length) } : {}) };
  }
  const excerpts = documentExcerpts({ text, docOffsets: sample.docOffsets }, budget.excerptCharacters);
  const size = excerpts.reduce((sum, excerpt) => sum + excerpt.length, 0);
  if (size <= remaining.excerpts) {
    remaining.excerpts -= size;
    return { ...base, embedded: "excerpts", excerpts };
  }
  return { ...base, embedded: "none" };
}

/** The first `characters` of each document of a sample, cut at a code point boundary. */
export function documentExcerpts(sample: { text: string; docOffsets: readonly number[] }, characters: number): string[] {
  return sample.docOffsets.map((start, i) => {
    const end = Math.min(sample.docOffsets[i + 1] ?? sample.text.length, start + characters);
    return sample.text.slice(start, endOnCodePoint(sample.text, end));
  });
}

/** Moves an end offset back by one if it would split a surrogate pair. */
export function endOnCodePoint(text: string, end: number): number {
  if (end <= 0 || end >= text.length) return end;
  const before = text.charCodeAt(end - 1);
  return before >= 0xd800 && before <= 0xdbff ? end - 1 : end;
}
