import { z } from "zod";

/** A subtopic as a debater proposed it. */
export interface ProposedTopic {
  topic: string;
  explanation: string;
}

/** A critic's verdict on one item of the list it reviewed (`id` is the item's 1-based number). */
export interface CriticVerdict {
  id?: number;
  topic?: string;
  action: "accept" | "reject";
  reason: string;
}

/** The judge's removals (by candidate number and/or title) and its summary. */
export interface JudgeDecision {
  removals: Array<{ id?: number; topic?: string; reason: string }>;
  summary: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problem: string };

const text = z.string().trim();
const title = text.min(1);
const itemId = z.union([z.number().int(), z.string().regex(/^\s*\d+\s*$/).transform(Number)]);
const reason = z.union([z.string(), z.array(z.string()).transform((parts) => parts.join("; "))]).optional().transform((value) => value?.trim() ?? "");

// Proposals: [{topic, explanation}] (the reference's shape), {topics: [...]}, or bare strings.
const proposalItem = z.union([
  z.object({ topic: title, explanation: text.optional() }).transform((item) => ({ topic: item.topic, explanation: item.explanation ?? "" })),
  z.object({ title, explanation: text.optional(), description: text.optional() }).transform((item) => ({ topic: item.title, explanation: item.explanation ?? item.description ?? "" })),
  title.transform((topic) => ({ topic, explanation: "" })),
]);
const proposalList = z.array(proposalItem).min(1, "the list of topics is empty");
const proposalsSchema: z.ZodType<ProposedTopic[]> = z.union([proposalList, z.object({ topics: proposalList }).transform((reply) => reply.topics), z.object({ subtopics: proposalList }).transform((reply) => reply.subtopics)]);

// Critiques: {verdicts: [{id, topic, action, reason}]}, or the reference's {accepted, rejected}
// (items as strings or {topic|title, reason}), possibly wrapped in a one-element array.
const action = z
  .string()
  .transform((value) => value.trim().toLowerCase())
  .pipe(z.enum(["accept", "accepted", "keep", "reject", "rejected", "remove"]))
  .transform((value): "accept" | "reject" => (value.startsWith("accept") || value === "keep" ? "accept" : "reject"));
const verdictItem = z
  .object({ id: itemId.optional(), topic: text.optional(), title: text.optional(), action: action.optional(), decision: action.optional(), verdict: action.optional(), reason })
  .refine((item) => item.action ?? item.decision ?? item.verdict, "each verdict needs an action: accept or reject")
  .transform((item): CriticVerdict => ({ id: item.id, topic: item.topic ?? item.title, action: (item.action ?? item.decision ?? item.verdict)!, reason: item.reason }));
const namedItem = z.union([
  title.transform((topic) => ({ topic, reason: "" })),
  z.object({ id: itemId.optional(), topic: text.optional(), title: text.optional(), reason }).transform((item) => ({ id: item.id, topic: item.topic ?? item.title, reason: item.reason })),
]);
const acceptedRejected = z
  .object({ accepted: z.array(namedItem).default([]), rejected: z.array(namedItem).default([]) })
  .refine((reply) => reply.accepted.length + reply.rejected.length > 0, "no verdicts: both accepted and rejected are empty or missing")
  .transform((reply): CriticVerdict[] => [
    ...reply.accepted.map((item) => ({ ...item, action: "accept" as const })),
    ...reply.rejected.map((item) => ({ ...item, action: "reject" as const })),
  ]);
const verdictList = z.array(verdictItem).min(1, "no verdicts");
const critiqueSchema: z.ZodType<CriticVerdict[]> = z.union([
  z.object({ verdicts: verdictList }).transform((reply) => reply.verdicts),
  acceptedRejected,
  z.tuple([acceptedRejected]).transform(([reply]) => reply),
  verdictList,
]);

// Judge: {remove: [...], summary} or the reference's {rejected_topics: [{title, ...}], summary}.
const removalList = z.array(namedItem);
const judgeObject = z.union([
  z.object({ remove: removalList, summary: text.optional() }).transform((reply) => ({ removals: reply.remove, summary: reply.summary ?? "" })),
  z.object({ rejected_topics: removalList, summary: text.optional() }).transform((reply) => ({ removals: reply.rejected_topics, summary: reply.summary ?? "" })),
]);
const judgeSchema: z.ZodType<JudgeDecision> = z.union([judgeObject, z.tuple([judgeObject]).transform(([reply]) => reply)]);

export const parseProposals = (reply: string) => parseReply(reply, proposalsSchema);
export const parseCritique = (reply: string) => parseReply(reply, critiqueSchema);
export const parseJudgeDecision = (reply: string) => parseReply(reply, judgeSchema);

/**
 * Reads a model's reply leniently: the whole text as JSON, JSON inside code fences, or the first
 * JSON value embedded in prose; the first that fits `schema` wins. Otherwise says what was wrong,
 * in words the model can act on when it is asked again.
 */
export function parseReply<T>(reply: string, schema: z.ZodType<T>): ParseResult<T> {
  let problem = "";
  for (const value of jsonValuesIn(reply)) {
    const parsed = schema.safeParse(value);
    if (parsed.success) return { ok: true, value: parsed.data };
    if (!problem) {
      const issue = mostSpecificIssue(parsed.error.issues[0]!);
      problem = `the JSON did not have the expected shape (${issue.path.length > 0 ? issue.path.join(".") + ": " : ""}${issue.message})`;
    }
  }
  if (problem) return { ok: false, problem };
  return { ok: false, problem: reply.trim().length === 0 ? "the reply was empty" : "no JSON value was found in the reply" };
}

/**
 * A union's "invalid input" says nothing a model can act on; the branch that got furthest
 * into the value (longest path, a rule rather than a type mismatch) usually does.
 */
function mostSpecificIssue(issue: z.core.$ZodIssue, path: PropertyKey[] = []): { path: PropertyKey[]; message: string } {
  if (issue.code !== "invalid_union" || issue.errors.length === 0) return { path: [...path, ...issue.path], message: issue.message };
  const branches = issue.errors.filter((branch) => branch.length > 0).map((branch) => mostSpecificIssue(branch[0]!, [...path, ...issue.path]));
  const score = (candidate: { path: PropertyKey[]; message: string }) => candidate.path.length * 2 + (candidate.message.startsWith("Invalid input: expected") ? 0 : 1);
  return branches.reduce((best, candidate) => (score(candidate) > score(best) ? candidate : best), branches[0] ?? { path, message: issue.message });
}

/**
 * JSON values found in a text, most likely first: fenced blocks, the whole text, then values
 * embedded in prose. Lazy, since the whole text is usually the answer.
 */
export function* jsonValuesIn(reply: string): Generator<unknown> {
  for (const fence of reply.matchAll(/```[a-zA-Z]*\s*\n?([\s\S]*?)```/g)) {
    const value = parseJsonLoosely(fence[1]!.trim());
    if (value !== undefined) yield value;
  }
  const whole = parseJsonLoosely(reply.trim());
  if (whole !== undefined) {
    yield whole;
    return;
  }
  let starts = 0;
  for (let i = 0; i < reply.length && starts < 16; i++) {
    if (reply[i] !== "{" && reply[i] !== "[") continue;
    const end = matchingBracket(reply, i);
    if (end < 0) continue;
    starts++;
    const value = parseJsonLoosely(reply.slice(i, end + 1));
    if (value !== undefined) yield value;
    i = end;
  }
}

function parseJsonLoosely(candidate: string): unknown {
  if (candidate.length === 0) return undefined;
  for (const attempt of [candidate, candidate.replace(/,\s*([}\]])/g, "$1")]) {
    try {
      return JSON.parse(attempt);
    } catch {
      // try the next repair
    }
  }
  return undefined;
}

/** Index of the bracket closing the one at `start`, skipping strings; -1 when unbalanced. */
function matchingBracket(source: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < source.length; i++) {
    const character = source[i]!;
    if (inString) {
      if (character === "\\") i++;
      else if (character === '"') inString = false;
    } else if (character === '"') inString = true;
    else if (character === "{" || character === "[") stack.push(character === "{" ? "}" : "]");
    else if (character === "}" || character === "]") {
      if (stack.pop() !== character) return -1;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

/** JSON schemas sent as the response format (strict: every key required, no others). */
export const REPLY_JSON_SCHEMAS = {
  proposals: {
    name: "topic_proposals",
    schema: {
      type: "object",
      properties: {
        topics: {
          type: "array",
          minItems: 1,
          items: { type: "object", properties: { topic: { type: "string" }, explanation: { type: "string" } }, required: ["topic", "explanation"], additionalProperties: false },
        },
      },
      required: ["topics"],
      additionalProperties: false,
    },
  },
  critique: {
    name: "topic_critique",
    schema: {
      type: "object",
      properties: {
        verdicts: {
          type: "array",
          minItems: 1,
          items: {
            type: "object",
            properties: { id: { type: "integer" }, topic: { type: "string" }, action: { type: "string", enum: ["accept", "reject"] }, reason: { type: "string" } },
            required: ["id", "topic", "action", "reason"],
            additionalProperties: false,
          },
        },
      },
      required: ["verdicts"],
      additionalProperties: false,
    },
  },
  judge: {
    name: "topic_removals",
    schema: {
      type: "object",
      properties: {
        remove: {
          type: "array",
          items: { type: "object", properties: { id: { type: "integer" }, topic: { type: "string" }, reason: { type: "string" } }, required: ["id", "topic", "reason"], additionalProperties: false },
        },
        summary: { type: "string" },
      },
      required: ["remove", "summary"],
      additionalProperties: false,
    },
  },
} as const;

/** The expected shape in words, for asking again. */
export const REPLY_FORMATS = {
  proposals: '{"topics": [{"topic": "...", "explanation": "..."}]}',
  critique: '{"verdicts": [{"id": 1, "topic": "...", "action": "accept", "reason": "..."}]}',
  judge: '{"remove": [{"id": 1, "topic": "...", "reason": "..."}], "summary": "..."}',
} as const;
