import type { Sample, Subject, Topic } from "../core/records.js";
import type { DocumentStore } from "../corpus/index.js";
import type { MdsSample } from "./output/mds-sample-encoding.js";
import { mdsIndices, type SamplesIndex } from "./output/sample-outputs.js";
import type { SearchEngine } from "../search/search-engine.js";
import type { Tokenizer } from "../tokenizer/tokenizer.js";
import { nextLongSpanProblems } from "./verify-spans.js";

/** What checking a sample needs besides the sample. */
export interface SampleCheckContext {
  index: SamplesIndex;
  frame: { before: number; after: number };
  separator: string;
  /** The meta-chunk splitter of a NExtLong run's chunk size and unit (to re-chunk sources when checking spans). */
  splitMetaChunks: (text: string) => string[];
  tokenizer: Tokenizer;
  topics: Map<string, Topic>;
  subjects: Map<string, Subject>;
  engine: SearchEngine;
  store: DocumentStore;
  seenIds: Set<string>;
}

/** A sample (text may be absent for MDS provenance records) with its re-tokenization. */
export interface TokenizedSample {
  sample: Sample;
  hasText: boolean;
  /** Ids of the sample text, re-tokenized (of the MDS ids' decoded text when there is no text). */
  contentIds: Uint32Array;
  /** Token counts of each document's stretch of the text (empty without text). */
  stretchCounts: number[];
  mds?: MdsSample;
}

/** The stretch of sample text that belongs to document i. */
export function documentStretch(sample: Sample, i: number): string {
  return sample.text.slice(sample.docOffsets[i], sample.docOffsets[i + 1] ?? sample.text.length);
}

/** Every problem with one sample, checked from scratch. */
export async function sampleProblems(entry: TokenizedSample, context: SampleCheckContext): Promise<string[]> {
  const { sample } = entry;
  const problems: string[] = [];
  if (context.seenIds.has(sample.id)) problems.push(`duplicate sample id ${sample.id}`);
  context.seenIds.add(sample.id);
  const { length } = context.index;
  if (sample.short ? sample.tokenCount >= length : sample.tokenCount !== length) problems.push(`tokenCount ${sample.tokenCount}, expected ${sample.short ? `< ${length} (short)` : length}`);
  const framed = entry.contentIds.length + context.frame.before + context.frame.after;
  if (entry.hasText && framed !== sample.tokenCount) problems.push(`text re-tokenizes to ${framed} tokens with boundary tokens, expected ${sample.tokenCount}`);
  problems.push(...spanProblems(entry, context));
  problems.push(...topicProblems(sample, context));
  if (entry.mds) problems.push(...mdsProblems(entry, entry.mds, context));
  if (entry.hasText) problems.push(...(await provenanceProblems(sample, context)));
  return problems;
}

function topicProblems(sample: Sample, context: SampleCheckContext): string[] {
  const problems: string[] = [];
  const topic = context.topics.get(sample.topicId);
  if (!topic) problems.push(`topic ${sample.topicId} is not in topics/topics.jsonl`);
  else if (topic.text !== sample.topic || topic.subjectId !== sample.subjectId) problems.push(`topic/subject fields disagree with topic ${topic.id}`);
  const subject = context.subjects.get(sample.subjectId);
  if (sample.subjectId !== "custom" && !subject) problems.push(`subject ${sample.subjectId} is not in subjects.jsonl`);
  if ((subject?.section ?? "custom") !== sample.domain) problems.push(`domain "${sample.domain}" is not the subject's section`);
  return problems;
}

/** Spans cover the ids in order; each document's stretch of text re-tokenizes to its span. */
function spanProblems(entry: TokenizedSample, context: SampleCheckContext): string[] {
  const { sample } = entry;
  const spans = sample.docTokenSpans;
  if (spans.length !== sample.docIds.length || sample.docOffsets.length !== sample.docIds.length || spans.length === 0) return ["docIds, docOffsets and docTokenSpans differ in length or are empty"];
  if (spans[0]![0] !== 0 || spans[spans.length - 1]![1] !== sample.tokenCount || spans.some((span, i) => span[0] >= span[1] || (i > 0 && span[0] !== spans[i - 1]![1]))) {
    return [`docTokenSpans do not cover [0, ${sample.tokenCount}) in order`];
  }
  if (!entry.hasText || !context.tokenizer.splitsAtWordStarts) return [];
  const problems: string[] = [];
  spans.forEach(([start, end], i) => {
    const frame = (i === 0 ? context.frame.before : 0) + (i === spans.length - 1 ? context.frame.after : 0);
    const tokens = entry.stretchCounts[i]! + frame;
    if (tokens !== end - start) problems.push(`document ${sample.docIds[i]} spans ${end - start} tokens but its text re-tokenizes to ${tokens}`);
  });
  return problems;
}

/** The MDS record holds exactly the framed re-tokenization of the same sample. */
function mdsProblems(entry: TokenizedSample, mds: MdsSample, context: SampleCheckContext): string[] {
  const { sample } = entry;
  const problems: string[] = [];
  if (mds.length !== sample.tokenCount || mds.inputIds.length !== sample.tokenCount) problems.push(`MDS length ${mds.length} / ${mds.inputIds.length} ids, expected ${sample.tokenCount}`);
  const content = mds.inputIds.subarray(context.frame.before, mds.inputIds.length - context.frame.after);
  if (content.length !== entry.contentIds.length || content.some((id, i) => id !== entry.contentIds[i])) problems.push("MDS input_ids are not what the sample text tokenizes to");
  if (JSON.stringify(mds.indices) !== JSON.stringify(mdsIndices(sample, sample.tokenCount))) problems.push(`MDS indices differ from ${sample.spans ? "one range over the sample" : "docTokenSpans"}`);
  if (mds.domain !== sample.domain) problems.push(`MDS domain "${mds.domain}", expected "${sample.domain}"`);
  return problems;
}

/** Each document's stretch of the sample must occur in that document's text. */
async function provenanceProblems(sample: Sample, context: SampleCheckContext): Promise<string[]> {
  await context.engine.loadDocumentSources?.(sample.docIds);
  const sources = sample.docIds.map((id) => context.engine.documentSource(id));
  const missing = sample.docIds.filter((_, i) => sources[i] === undefined);
  if (missing.length > 0) return [`documents not in the index: ${missing.join(", ")}`];
  const texts = await context.store.readTexts(sources.map((source) => source!));
  const problems: string[] = [];
  const stretches: string[] = [];
  for (let i = 0; i < sample.docIds.length; i++) {
    let stretch = documentStretch(sample, i);
    if (stretch.endsWith(context.separator)) stretch = stretch.slice(0, stretch.length - context.separator.length);
    stretches.push(stretch);
    if (!context.tokenizer.normalize(texts[i]!).includes(stretch.trim())) problems.push(`text at offset ${sample.docOffsets[i]} does not come from document ${sample.docIds[i]}`);
  }
  if (sample.spans) problems.push(...nextLongSpanProblems(sample, texts, stretches, context.splitMetaChunks, context.tokenizer));
  return problems;
}
