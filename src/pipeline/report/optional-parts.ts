/**
 * EXTENSION POINTS: the parts of a run that only some runs have (the LLM debate, LLM usage and
 * cost, NExtLong negatives). Each reads what the manifest and records carry and returns
 * `{ present: false, note }` when the run has none, which the page shows as "not in this run".
 * Stages that add such data need no report change as long as they follow the conventions
 * below; a part that needs more than generic figures gets its own collector and section here.
 */
import type { Topic } from "../../core/records.js";
import type { DebateFlow, DebatePart, GroupedFigures, LlmUsagePart, NextLongPart, OptionalPart, SampleSpanCounts, StageSummary } from "./run-report.js";

/** Count and fact names that carry LLM usage: `llm.<model>.<metric>` or `usage.<model>.<metric>`. */
const USAGE_KEY = /^(llm|usage)\./;

/** Removed topics listed with their reasons. */
export const REMOVED_TOPICS_LISTED = 500;

/**
 * Debate: present when the topics stage says `facts.topicSource === "debate"`, or when topic
 * records carry critiques or removals. The per-model flow comes from the topic records
 * (proposedBy, critiques, verdict); every count and fact of the topics stage is shown as
 * recorded (usage counts aside), grouped by the prefix before the first dot
 * ("proposals.<model>" -> row proposals, column <model>).
 */
export function debatePart(topicsStage: StageSummary | undefined, topics: readonly Topic[]): OptionalPart<DebatePart> {
  const topicSource = topicsStage?.facts.topicSource ?? "";
  const debated = topics.some((topic) => topic.critiques.length > 0 || topic.verdict === "removed");
  if (topicSource !== "debate" && !debated) {
    return { present: false, note: `not in this run: topics came from ${topicSource ? `"${topicSource}"` : "no topics stage"}, not an LLM debate` };
  }
  // Usage counts are shown under LLM usage, not twice.
  const recorded = topicsStage ? Object.entries({ ...topicsStage.counts, ...topicsStage.facts }).filter(([key]) => !USAGE_KEY.test(key)) : [];
  const figures = groupFigures(Object.fromEntries(recorded), "first");
  const removed = topics
    .filter((topic) => topic.verdict === "removed")
    .slice(0, REMOVED_TOPICS_LISTED)
    .map((topic) => ({ topicId: topic.id, text: topic.text, proposedBy: topic.proposedBy, reasons: topic.reasons }));
  return { present: true, topicSource, flows: debateFlows(topics), removed, figures };
}

/** Per proposing model, in order of first appearance: proposed → accepted by critics → removed → kept. */
export function debateFlows(topics: readonly Topic[]): DebateFlow[] {
  const flows = new Map<string, DebateFlow>();
  for (const topic of topics) {
    const flow = flows.get(topic.proposedBy) ?? { model: topic.proposedBy, proposed: 0, acceptedByCritics: 0, notCritiqued: 0, removed: 0, kept: 0 };
    flows.set(topic.proposedBy, flow);
    flow.proposed++;
    if (topic.critiques.length === 0) flow.notCritiqued++;
    else if (topic.critiques.every((critique) => critique.action === "accept")) flow.acceptedByCritics++;
    if (topic.verdict === "removed") flow.removed++;
    else flow.kept++;
  }
  return [...flows.values()];
}

/**
 * LLM usage and cost: present when any stage records usage counts or facts under `llm.` or
 * `usage.`; shown per stage and model, grouped by the part before the last dot (model names
 * may contain dots: "llm.Qwen2.5-7B.promptTokens" -> row Qwen2.5-7B, column promptTokens).
 */
export function llmUsagePart(stages: readonly StageSummary[]): OptionalPart<LlmUsagePart> {
  const figures: GroupedFigures[] = [];
  for (const stage of stages) {
    const usage = Object.fromEntries(Object.entries({ ...stage.counts, ...stage.facts }).filter(([key]) => USAGE_KEY.test(key)).map(([key, value]) => [key.replace(USAGE_KEY, ""), value]));
    for (const figure of groupFigures(usage, "last")) figures.push({ ...figure, group: `${stage.name}: ${figure.group}` });
  }
  if (figures.length === 0) return { present: false, note: "not in this run: no stage called an LLM (usage would be recorded as llm.<model>.<metric> counts)" };
  return { present: true, figures };
}

/** Count and fact names of NExtLong-style negatives: `nextlong.*` or `negatives.*`. */
const NEXTLONG_KEY = /^(nextlong|negatives)\./i;

/**
 * NExtLong: present when any stage records `nextlong.*` or `negatives.*` counts or facts, or
 * samples carry spans; `spanCounts` are the samples' (collectSampleStatistics), summed here.
 */
export function nextLongPart(stages: readonly StageSummary[], spanCounts: readonly SampleSpanCounts[] = []): OptionalPart<NextLongPart> {
  const figures: GroupedFigures[] = [];
  for (const stage of stages) {
    const entries = Object.entries({ ...stage.counts, ...stage.facts }).filter(([key]) => NEXTLONG_KEY.test(key));
    for (const [key, value] of entries) figures.push({ group: stage.name, name: key, value: String(value) });
  }
  if (figures.length === 0 && spanCounts.length === 0) return { present: false, note: "not in this run: samples were packed without NExtLong hard negatives" };
  const totals = { samples: spanCounts.length, positives: 0, negatives: 0, positiveTokens: 0, negativeTokens: 0 };
  for (const counts of spanCounts) {
    totals.positives += counts.positives;
    totals.negatives += counts.negatives;
    totals.positiveTokens += counts.positiveTokens;
    totals.negativeTokens += counts.negativeTokens;
  }
  return { present: true, figures, samples: [...spanCounts], totals };
}

/**
 * Splits "group.name" keys at the first or last dot; keys without a dot go to group "".
 * Entries are sorted by key so the output does not depend on the order stages recorded them.
 */
export function groupFigures(entries: Record<string, number | string>, split: "first" | "last"): GroupedFigures[] {
  return Object.keys(entries)
    .sort()
    .map((key) => {
      const dot = split === "first" ? key.indexOf(".") : key.lastIndexOf(".");
      const value = String(entries[key]);
      return dot < 0 ? { group: "", name: key, value } : { group: key.slice(0, dot), name: key.slice(dot + 1), value };
    });
}
