import { basename } from "node:path";
import type { z } from "zod";
import { RunDirectoryError } from "../../core/errors.js";
import { readAllJsonLines } from "../../core/jsonl-file.js";
import { subjectSchema, topicSchema } from "../../core/record-schemas.js";
import type { Subject, Topic } from "../../core/records.js";
import { allExist, RunDirectory, STAGE_NAMES, type Manifest } from "../run-directory.js";
import { collectHitStatistics, type HitStatistics } from "./collect-hit-statistics.js";
import { collectSampleStatistics, DEFAULT_EMBEDDING_BUDGET, type EmbeddingBudget, type SampleStatistics } from "./collect-sample-statistics.js";
import { DEFAULT_TRACKED_IDS } from "./distinct-counter.js";
import { dropReasons } from "./drop-reasons.js";
import { IntegerCounter, integerHistogram, wordCountHistogram } from "./histogram.js";
import { debatePart, llmUsagePart, nextLongPart } from "./optional-parts.js";
import { findSampleShards, readSampleShards } from "./read-run-samples.js";
import { RUN_REPORT_FORMAT, type BrowsableTopic, type RunReport, type SectionSummary, type StageSummary, type UnderfilledTopic } from "./run-report.js";

/** Options of collectRunReport. */
export interface CollectReportOptions {
  /** How much sample text the page embeds. Default DEFAULT_EMBEDDING_BUDGET. */
  embedding?: EmbeddingBudget;
  /** Distinct document ids tracked for the reuse statistics. Default 5,000,000. */
  trackedIds?: number;
}

/**
 * Section of topics whose subject is not in subjects.jsonl (a --topics file): the same name the
 * pack stage gives such samples as their MDS domain.
 */
export const NO_SECTION = "custom";

interface Collected {
  run: RunDirectory;
  manifest: Manifest;
  stages: StageSummary[];
  subjects: Subject[];
  topics: Topic[];
  hits: HitStatistics | undefined;
  samples: SampleStatistics | undefined;
  options: Required<CollectReportOptions>;
}

/**
 * Reads a run directory (manifest, subjects, topics, hits, samples; samples streamed) into the
 * report's statistics. Stages that have not run leave their parts empty; the page says so.
 */
export async function collectRunReport(root: string, options: CollectReportOptions = {}): Promise<RunReport> {
  const run = new RunDirectory(root);
  const manifest = await run.readManifest();
  if (!manifest) throw new RunDirectoryError(`${run.root}: no manifest.json; not a litelong run directory`);
  const stages = stageSummaries(manifest);
  const done = (name: string) => stages.some((stage) => stage.name === name);
  const settings = { embedding: options.embedding ?? DEFAULT_EMBEDDING_BUDGET, trackedIds: options.trackedIds ?? DEFAULT_TRACKED_IDS };
  const collected: Collected = {
    run,
    manifest,
    stages,
    subjects: done("taxonomy") ? await readStageRecords(run, run.subjectsPath, subjectSchema, "taxonomy") : [],
    topics: done("topics") ? await readStageRecords(run, run.topicsPath, topicSchema, "topics") : [],
    hits: done("retrieve") ? await collectHitStatistics(await requireFile(run, run.hitsPath, "retrieve"), settings.trackedIds) : undefined,
    samples: done("pack") ? await collectSamples(run, settings.embedding, settings.trackedIds) : undefined,
    options: settings,
  };
  return assembleReport(collected);
}

/** The manifest's stages in pipeline order (then any stage this version does not know). */
function stageSummaries(manifest: Manifest): StageSummary[] {
  const known: readonly string[] = STAGE_NAMES;
  const names = Object.keys(manifest.stages).sort((a, b) => rank(known, a) - rank(known, b) || a.localeCompare(b));
  return names.map((name) => {
    const record = manifest.stages[name as keyof Manifest["stages"]]!;
    return { name, seconds: record.seconds, finishedAt: record.finishedAt, counts: record.counts, facts: record.facts };
  });
}

function rank(order: readonly string[], name: string): number {
  const index = order.indexOf(name);
  return index < 0 ? order.length : index;
}

async function requireFile(run: RunDirectory, path: string, stage: string): Promise<string> {
  if (!(await allExist([path]))) throw new RunDirectoryError(`${run.root}: the manifest says the ${stage} stage is done but ${path} is missing`);
  return path;
}

async function readStageRecords<T>(run: RunDirectory, path: string, schema: z.ZodType<T>, stage: string): Promise<T[]> {
  return readAllJsonLines(await requireFile(run, path, stage), schema);
}

async function collectSamples(run: RunDirectory, budget: EmbeddingBudget, trackedIds: number): Promise<SampleStatistics> {
  const shards = await findSampleShards(run.samplesDirectory);
  return collectSampleStatistics(readSampleShards(shards), budget, trackedIds);
}

function assembleReport(collected: Collected): RunReport {
  const { run, manifest, stages, topics, hits, samples } = collected;
  const sectionOf = sectionLookup(collected.subjects);
  const kept = topics.filter((topic) => topic.verdict === "kept");
  const topicsStage = stages.find((stage) => stage.name === "topics");
  return {
    ...RUN_REPORT_FORMAT,
    run: { name: basename(run.root), directory: run.root, configHash: manifest.configHash, config: manifest.config, versions: manifest.versions },
    summary: runSummary(collected, kept.length),
    stages,
    sections: sectionSummaries(collected, kept, sectionOf),
    topicWordCounts: wordCountHistogram(countValues(kept.map((topic) => topic.text.trim().split(/\s+/).filter(Boolean).length))),
    hits: hitsPart(kept, hits),
    samples: {
      lengths: samples ? integerHistogram(samples.lengths) : { labels: [], counts: [] },
      documentsPerSample: samples ? integerHistogram(samples.documentsPerSample) : { labels: [], counts: [] },
    },
    reuse: {
      retrievedByTopics: hits ? integerHistogram(hits.retrievedByTopics.occurrences()) : { labels: [], counts: [] },
      packedForTopics: samples ? integerHistogram(samples.packedForTopics.occurrences()) : { labels: [], counts: [] },
      truncatedAfter: hits?.retrievedByTopics.truncated || samples?.packedForTopics.truncated ? collected.options.trackedIds : undefined,
    },
    drops: dropReasons(stages),
    underfilled: samples && hits ? underfilledTopics(kept, sectionOf, hits, samples, packedSamplesPerTopic(manifest)) : [],
    debate: debatePart(topicsStage, topics),
    llmUsage: llmUsagePart(stages),
    nextLong: nextLongPart(stages, samples?.spanCounts),
    browser: { embedding: samples?.embedding ?? emptyEmbedding(collected.options.embedding), topics: samples ? browserTopics(topics, sectionOf, samples) : [] },
  };
}

function runSummary(collected: Collected, topicsKept: number): RunReport["summary"] {
  const { manifest, stages, subjects, topics, hits, samples } = collected;
  const index = manifest.stages.index;
  const pack = manifest.stages.pack;
  const corpus = manifest.config.corpus;
  return {
    corpus: Array.isArray(corpus) ? corpus.map(String) : [],
    corpusFiles: index?.counts.files,
    documents: index?.counts.documents,
    characters: index?.counts.characters,
    subjects: subjects.length,
    sections: new Set(subjects.map((subject) => subject.section)).size,
    topics: topics.length,
    topicsKept,
    hits: hits?.totalHits ?? 0,
    samples: samples?.samples ?? 0,
    shortSamples: samples?.shortSamples ?? 0,
    tokens: samples?.tokens ?? 0,
    samplesHaveText: samples?.hasText ?? false,
    length: pack ? Number(pack.facts.length ?? pack.options.length) : undefined,
    tokenizer: pack?.facts.tokenizer,
    topicSource: manifest.stages.topics?.facts.topicSource,
    totalSeconds: Math.round(stages.reduce((sum, stage) => sum + stage.seconds, 0) * 100) / 100,
  };
}

function sectionLookup(subjects: readonly Subject[]): (subjectId: string) => string {
  const sections = new Map(subjects.map((subject) => [subject.id, subject.section]));
  return (subjectId) => sections.get(subjectId) ?? NO_SECTION;
}

/** Sections in taxonomy order, then NO_SECTION if any topic or sample had no known subject. */
function sectionSummaries(collected: Collected, kept: readonly Topic[], sectionOf: (subjectId: string) => string): SectionSummary[] {
  const sections = new Map<string, SectionSummary>();
  const section = (name: string) => {
    const existing = sections.get(name);
    if (existing) return existing;
    const created = { section: name, subjects: 0, topics: 0, topicsWithHits: 0, topicsWithSamples: 0, samples: 0, tokens: 0 };
    sections.set(name, created);
    return created;
  };
  for (const subject of collected.subjects) section(subject.section).subjects++;
  for (const topic of kept) {
    const summary = section(sectionOf(topic.subjectId));
    summary.topics++;
    if ((collected.hits?.hitsPerTopic.get(topic.id) ?? 0) > 0) summary.topicsWithHits++;
    if (collected.samples?.samplesPerTopic.has(topic.id)) summary.topicsWithSamples++;
  }
  for (const [domain, output] of collected.samples?.byDomain ?? []) {
    const summary = section(output.fromSubject ? sectionOf(domain) : domain);
    summary.samples += output.samples;
    summary.tokens += output.tokens;
  }
  const ordered = [...sections.values()];
  return [...ordered.filter((entry) => entry.section !== NO_SECTION), ...ordered.filter((entry) => entry.section === NO_SECTION)];
}

function hitsPart(kept: readonly Topic[], hits: HitStatistics | undefined): RunReport["hits"] {
  if (!hits) return { perTopic: { labels: [], counts: [] }, perTopicRanked: [], scores: { labels: [], counts: [] }, scoreMinimum: undefined, scoreMaximum: undefined, scoreMean: undefined };
  const perTopic = kept.map((topic) => hits.hitsPerTopic.get(topic.id) ?? 0);
  return {
    // Topics without hits are counted in the text; a zero bar would dwarf the rest.
    perTopic: integerHistogram(countValues(perTopic.filter((count) => count > 0))),
    perTopicRanked: perTopic.filter((count) => count > 0).sort((a, b) => b - a),
    scores: hits.scores,
    scoreMinimum: hits.scoreMinimum,
    scoreMaximum: hits.scoreMaximum,
    scoreMean: hits.scoreMean,
  };
}

function countValues(values: readonly number[]): IntegerCounter {
  const counter = new IntegerCounter();
  for (const value of values) counter.add(value);
  return counter;
}

function packedSamplesPerTopic(manifest: Manifest): number {
  const value = manifest.stages.pack?.options.samplesPerTopic;
  return typeof value === "number" ? value : 1;
}

/** Kept topics that got fewer samples than allowed, with the reason, in topic order. */
function underfilledTopics(kept: readonly Topic[], sectionOf: (subjectId: string) => string, hits: HitStatistics, samples: SampleStatistics, allowed: number): UnderfilledTopic[] {
  const underfilled: UnderfilledTopic[] = [];
  for (const topic of kept) {
    const count = samples.samplesPerTopic.get(topic.id) ?? 0;
    if (count >= allowed) continue;
    const hitCount = hits.hitsPerTopic.get(topic.id) ?? 0;
    const twin = hits.sameHitsAs.get(topic.id);
    const reason =
      hitCount === 0 ? "no hits"
      : twin !== undefined ? `same hits as topic ${twin}; packed once`
      : count === 0 ? "its documents do not fill one sample"
      : `its documents fill ${count} of ${allowed} samples`;
    underfilled.push({ topicId: topic.id, text: topic.text, subjectId: topic.subjectId, section: sectionOf(topic.subjectId), hits: hitCount, samples: count, reason });
  }
  return underfilled;
}

function browserTopics(topics: readonly Topic[], sectionOf: (subjectId: string) => string, samples: SampleStatistics): BrowsableTopic[] {
  const byId = new Map(topics.map((topic) => [topic.id, topic]));
  return [...samples.browsable.entries()].map(([topicId, topicSamples]) => {
    const topic = byId.get(topicId);
    const subjectId = topic?.subjectId ?? "";
    return { topicId, text: topic?.text ?? topicId, subjectId, section: sectionOf(subjectId), samples: topicSamples };
  });
}

function emptyEmbedding({ fullText, excerpts, excerptCharacters, topics }: EmbeddingBudget): RunReport["browser"]["embedding"] {
  return { fullTextBudget: fullText, excerptBudget: excerpts, excerptCharacters, topicLimit: topics, full: 0, excerpts: 0, none: 0, topicsNotListed: 0 };
}

/** The report without embedded sample text: what `litelong report --json` prints. */
export function reportStatistics(report: RunReport): RunReport {
  const topics = report.browser.topics.map((topic) => ({
    ...topic,
    samples: topic.samples.map((sample) => ({ ...sample, text: undefined, excerpts: undefined })),
  }));
  return { ...report, browser: { ...report.browser, topics } };
}
