import { LitelongError } from "../../core/errors.js";
import type { Subject, Topic } from "../../core/records.js";
import { debateSubject, type CallRecord, type DebateContext, type SubjectDebate } from "./debate-subject.js";
import { applyRetention } from "./retention.js";
import { topicKey } from "./topic-text.js";

/** One line of topics/debate.jsonl: what happened to a subject. */
export interface SubjectLog {
  subjectId: string;
  status: "done" | "failed";
  /** Why the subject failed (a model kept failing or replying unreadably). */
  error?: string;
  judgeSummary?: string;
  unmatchedRemovals?: string[];
  calls: CallRecord[];
}

export interface DebateRunResult {
  /** Every candidate, kept and removed, in subject order. */
  topics: Topic[];
  logs: SubjectLog[];
  counts: Record<string, number>;
}

type Outcome = { debate: SubjectDebate } | { error: string };

/**
 * Debates every subject, `subjectsInFlight` at a time (each model's own limit bounds its calls),
 * then applies retention and removes duplicates within each subject and across the run in
 * subject order, so the result does not depend on which subject finished first. A subject whose
 * models fail is logged and skipped; the run goes on.
 */
export async function runDebate(subjects: readonly Subject[], context: DebateContext, onSubjectDone: () => void = () => {}): Promise<DebateRunResult> {
  const outcomes: Outcome[] = new Array(subjects.length);
  let next = 0;
  const worker = async () => {
    while (next < subjects.length) {
      const index = next++;
      outcomes[index] = await debateSubject(subjects[index]!, context).then(
        (debate) => ({ debate }),
        (error: unknown) => {
          if (error instanceof LitelongError) return { error: error.message };
          throw error;
        },
      );
      onSubjectDone();
    }
  };
  await Promise.all(Array.from({ length: Math.min(context.options.subjectsInFlight, subjects.length) }, worker));
  return assemble(subjects, outcomes, context);
}

function assemble(subjects: readonly Subject[], outcomes: Outcome[], context: DebateContext): DebateRunResult {
  const counts: Record<string, number> = { subjects: subjects.length, debatedSubjects: 0, failedSubjects: 0, candidates: 0, topics: 0, removed: 0, removedByJudge: 0, removedByRetention: 0, duplicates: 0, reasks: 0, unmatchedJudgeRemovals: 0 };
  const bump = (name: string, amount = 1) => (counts[name] = (counts[name] ?? 0) + amount);
  for (const model of context.options.debaters) for (const name of ["proposals", "acceptances", "rejections", "removals", "kept"]) counts[`${name}.${model}`] = 0;
  const topics: Topic[] = [];
  const logs: SubjectLog[] = [];
  const keptByKey = new Map<string, string>();
  subjects.forEach((subject, index) => {
    const outcome = outcomes[index]!;
    if ("error" in outcome) {
      bump("failedSubjects");
      logs.push({ subjectId: subject.id, status: "failed", error: outcome.error, calls: [] });
      return;
    }
    const { debate } = outcome;
    bump("debatedSubjects");
    bump("reasks", debate.calls.reduce((sum, call) => sum + call.reasks, 0));
    bump("unmatchedJudgeRemovals", debate.unmatchedRemovals.length);
    logs.push({ subjectId: subject.id, status: "done", judgeSummary: debate.judgeSummary, unmatchedRemovals: debate.unmatchedRemovals, calls: debate.calls });
    const decisions = applyRetention(context.options.retention, debate.candidates, debate.k);
    debate.candidates.forEach((candidate, position) => {
      const id = `${subject.id}.${candidate.proposer}.${candidate.position}`;
      const decision = decisions[position]!;
      const reasons = [...decision.reasons];
      const key = topicKey(candidate.text);
      let kept = decision.kept;
      if (kept && keptByKey.has(key)) {
        kept = false;
        reasons.push(`duplicate of ${keptByKey.get(key)}`);
        bump("duplicates");
      } else if (kept) keptByKey.set(key, id);
      else if (candidate.judgeRemoval !== undefined && context.options.retention === "filter-reject") bump("removedByJudge");
      else bump("removedByRetention");
      bump("candidates");
      bump(kept ? "topics" : "removed");
      bump(`proposals.${candidate.proposer}`);
      bump(`acceptances.${candidate.proposer}`, candidate.critiques.filter((critique) => critique.action === "accept").length);
      bump(`rejections.${candidate.proposer}`, candidate.critiques.filter((critique) => critique.action === "reject").length);
      if (candidate.judgeRemoval !== undefined) bump(`removals.${candidate.proposer}`);
      if (kept) bump(`kept.${candidate.proposer}`);
      topics.push({ id, subjectId: subject.id, text: candidate.text, explanation: candidate.explanation, proposedBy: candidate.proposer, critiques: candidate.critiques, verdict: kept ? "kept" : "removed", reasons });
    });
  });
  return { topics, logs, counts };
}
