import type { Critique, Subject } from "../../core/records.js";
import type { ModelClient } from "../../llm/model-client.js";
import { askJson, type JsonAnswer } from "./ask-json.js";
import { topicsWanted, type DebateOptions } from "./debate-options.js";
import { renderTemplate, type PromptTemplates } from "./prompt-templates.js";
import { parseCritique, parseJudgeDecision, parseProposals, REPLY_FORMATS, REPLY_JSON_SCHEMAS, type CriticVerdict, type JudgeDecision, type ParseResult, type ProposedTopic } from "./reply-parsers.js";
import type { Candidate } from "./retention.js";
import { normalizeTopicText, topicKey } from "./topic-text.js";

/** What the debate needs besides the subject. */
export interface DebateContext {
  options: DebateOptions;
  templates: PromptTemplates;
  client: (model: string) => ModelClient;
  /** Generation cap per call of a model. */
  maxTokens: (model: string) => number;
}

export interface CallRecord {
  model: string;
  step: "propose" | "critique" | "judge";
  /** For critiques: whose list was reviewed. */
  of?: string;
  reasks: number;
  fromCache: boolean;
}

/** A subject's debate, before retention: every candidate with its critiques and the judge's word. */
export interface SubjectDebate {
  candidates: Candidate[];
  /** k: topics wanted for the subject. */
  k: number;
  judgeSummary?: string;
  /** Judge removals that named no candidate. */
  unmatchedRemovals: string[];
  calls: CallRecord[];
}

/**
 * One subject through the debate: every debater proposes 2k topics; every debater's list is
 * critiqued by every other debater; for filter-reject the judge sees all candidates with
 * their proposers and critiques and names those to remove. `single` asks the first debater
 * for k topics and stops there. Throws when a model fails or keeps replying unreadably.
 */
export async function debateSubject(subject: Subject, context: DebateContext): Promise<SubjectDebate> {
  const { options } = context;
  const k = topicsWanted(options, subject.topicsWanted);
  const calls: CallRecord[] = [];
  const record = <T>(call: Omit<CallRecord, "reasks" | "fromCache">, answer: JsonAnswer<T>) => {
    calls.push({ ...call, reasks: answer.reasks, fromCache: answer.fromCache });
    return answer.value;
  };
  const single = options.retention === "single";
  const debaters = single ? options.debaters.slice(0, 1) : options.debaters;
  const count = single ? k : 2 * k;
  // Calls run concurrently but are recorded in a fixed order, so logs do not depend on timing.
  const proposals = await Promise.all(debaters.map((model) => propose(subject, model, count, context)));
  const lists = debaters.map((model, index) => toCandidates(model, record({ model, step: "propose" }, proposals[index]!), count));
  const candidates = lists.flat();
  if (single) return { candidates, k, unmatchedRemovals: [], calls };

  const reviews = debaters.flatMap((proposer, listIndex) => debaters.filter((critic) => critic !== proposer).map((critic) => ({ proposer, critic, list: lists[listIndex]! })));
  const critiques = await Promise.all(reviews.map(({ critic, list }) => (list.length === 0 ? undefined : critique(subject, critic, list, context))));
  reviews.forEach(({ proposer, critic, list }, index) => {
    const answer = critiques[index];
    if (answer) attachVerdicts(critic, list, record({ model: critic, step: "critique", of: proposer }, answer));
  });
  if (options.retention !== "filter-reject" || candidates.length === 0) return { candidates, k, unmatchedRemovals: [], calls };

  const judge = options.judge!;
  const decision = record({ model: judge, step: "judge" }, await judgeCandidates(subject, judge, candidates, context));
  const unmatchedRemovals = applyRemovals(candidates, decision);
  return { candidates, k, judgeSummary: decision.summary, unmatchedRemovals, calls };
}

function subjectVariables(subject: Subject) {
  const below = subject.path.slice(1).join(" / ");
  return { section: subject.section, subject: below || subject.label, label: subject.label };
}

function ask<T>(model: string, context: DebateContext, step: keyof typeof REPLY_FORMATS, messages: ReturnType<typeof renderTemplate>, parse: (reply: string) => ParseResult<T>) {
  return askJson({
    client: context.client(model),
    messages,
    jsonSchema: REPLY_JSON_SCHEMAS[step] as unknown as { name: string; schema: Record<string, unknown> },
    parse,
    format: REPLY_FORMATS[step],
    sampling: { temperature: context.options.temperature, topP: context.options.topP, maxTokens: context.maxTokens(model) },
    reask: context.templates.reask,
    maxReasks: context.options.maxReasks,
  });
}

function propose(subject: Subject, model: string, count: number, context: DebateContext): Promise<JsonAnswer<ProposedTopic[]>> {
  const messages = renderTemplate(context.templates.propose, {
    ...subjectVariables(subject),
    count,
    avoid: subject.avoid && subject.avoid.length > 0 ? subject.avoid.join("; ") : "none",
    notes: subject.notes ? `Notes on the heading: ${subject.notes}` : "",
  });
  return ask(model, context, "proposals", messages, parseProposals);
}

/** A debater's list as candidates: titles normalised, empty ones dropped, at most `limit`. */
function toCandidates(proposer: string, proposals: ProposedTopic[], limit: number): Candidate[] {
  const candidates: Candidate[] = [];
  for (const proposal of proposals) {
    const text = normalizeTopicText(proposal.topic);
    if (text.length === 0 || candidates.length >= limit) continue;
    candidates.push({ proposer, position: candidates.length + 1, text, explanation: proposal.explanation.trim(), critiques: [] });
  }
  return candidates;
}

function critique(subject: Subject, critic: string, list: Candidate[], context: DebateContext): Promise<JsonAnswer<CriticVerdict[]>> {
  const topics = list.map((candidate) => `${candidate.position}. ${candidate.text}${candidate.explanation ? `: ${candidate.explanation}` : ""}`).join("\n");
  const messages = renderTemplate(context.templates.critique, { ...subjectVariables(subject), count: list.length, topics });
  return ask(critic, context, "critique", messages, parseCritique);
}

/** Each verdict goes to the item it names (see resolveItem); items left without one count as rejected. */
function attachVerdicts(critic: string, list: Candidate[], verdicts: CriticVerdict[]): void {
  const byKey = keyIndex(list);
  const given = new Map<Candidate, Critique>();
  for (const verdict of verdicts) {
    const target = resolveItem(list, byKey, verdict.id, verdict.topic);
    if (target && !given.has(target)) given.set(target, { critic, action: verdict.action, reason: verdict.reason });
  }
  for (const candidate of list) candidate.critiques.push(given.get(candidate) ?? { critic, action: "reject", reason: "no verdict given" });
}

function judgeCandidates(subject: Subject, judge: string, candidates: Candidate[], context: DebateContext): Promise<JsonAnswer<JudgeDecision>> {
  const lines = candidates.map((candidate, index) => {
    const reviews = candidate.critiques.map((critique) => `${critique.critic} says ${critique.action}: ${critique.reason || "no reason given"}`).join("; ");
    return `${index + 1}. ${candidate.text}${candidate.explanation ? `: ${candidate.explanation}` : ""}\n   proposed by ${candidate.proposer}; ${reviews}`;
  });
  const messages = renderTemplate(context.templates.judge, { ...subjectVariables(subject), candidates: lines.join("\n") });
  return ask(judge, context, "judge", messages, parseJudgeDecision);
}

/** Marks the judge's removals (by number, else by title); returns the removals that matched nothing. */
function applyRemovals(candidates: Candidate[], decision: JudgeDecision): string[] {
  const byKey = keyIndex(candidates);
  const unmatched: string[] = [];
  for (const removal of decision.removals) {
    const target = resolveItem(candidates, byKey, removal.id, removal.topic);
    if (target) target.judgeRemoval ??= removal.reason || "removed without a reason";
    else unmatched.push(removal.topic ?? `#${removal.id}`);
  }
  return unmatched;
}

function keyIndex(list: Candidate[]): Map<string, Candidate> {
  const byKey = new Map<string, Candidate>();
  for (const candidate of list) if (!byKey.has(topicKey(candidate.text))) byKey.set(topicKey(candidate.text), candidate);
  return byKey;
}

/**
 * The item a verdict or removal names: its number when the title there agrees (or no title was
 * given), else the item with that title, else the number. Small models miscount long lists
 * more often than they garble titles; the number still settles titles that appear twice.
 */
function resolveItem(list: Candidate[], byKey: Map<string, Candidate>, id: number | undefined, topic: string | undefined): Candidate | undefined {
  const byId = id !== undefined ? list[id - 1] : undefined;
  if (!topic) return byId;
  const key = topicKey(topic);
  if (byId && topicKey(byId.text) === key) return byId;
  return byKey.get(key) ?? byId;
}
