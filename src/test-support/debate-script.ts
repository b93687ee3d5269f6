import type { ChatRequestBody, ChatScript, ScriptedReply } from "./chat-test-server.js";

export type DebateStep = "propose" | "critique" | "judge";

/** Which debate step a request is, from the shipped templates' wording. */
export function requestStep(body: ChatRequestBody): DebateStep {
  const first = body.messages.find((message) => message.role === "user")?.content ?? "";
  if (first.includes("Another assistant suggested")) return "critique";
  if (first.includes("Candidates, each with who proposed it")) return "judge";
  return "propose";
}

/** The heading a request is about ("Heading within it: ..."). */
export function requestHeading(body: ChatRequestBody): string {
  const first = body.messages.find((message) => message.role === "user")?.content ?? "";
  return /Heading within it: (.+)/.exec(first)?.[1]?.trim() ?? "";
}

export interface DebateScriptOptions {
  /** When true for a request that is not a re-ask, the reply is prose without JSON. */
  malformed?: (heading: string, model: string, step: DebateStep) => boolean;
}

/**
 * A deterministic debate: replies depend only on the request, never on arrival order.
 * - propose: item 1 is "<heading> basics", the last (of 3 or more) "Common ground", the others
 *   "<heading> <model> <i>"; explanations "<model> idea <i>";
 * - critique: odd-numbered items accepted, even ones rejected ("<critic> on <i>");
 * - judge: removes candidates whose title ends in " 3" ("too close to others").
 * The model "beta" wraps its JSON in a code fence with prose, as chatty models do.
 */
export function debateScript(options: DebateScriptOptions = {}): ChatScript {
  return (body) => {
    const step = requestStep(body);
    const heading = requestHeading(body);
    const isReask = body.messages.length > 2 && body.messages.at(-1)!.content.startsWith("That answer could not be used");
    if (!isReask && options.malformed?.(heading, body.model, step)) return { content: "Sure! Here are my thoughts on the matter, in prose." };
    const value = step === "propose" ? proposals(body, heading) : step === "critique" ? critique(body) : judge(body);
    const json = JSON.stringify(value);
    return { content: body.model === "beta" ? `Here is my answer:\n\`\`\`json\n${json}\n\`\`\`\nThanks.` : json };
  };
}

function userText(body: ChatRequestBody): string {
  return body.messages.find((message) => message.role === "user")?.content ?? "";
}

function proposals(body: ChatRequestBody, heading: string) {
  const count = Number(/Suggest (\d+) subtopics/.exec(userText(body))?.[1] ?? 2);
  const topics = Array.from({ length: count }, (_, index) => {
    const position = index + 1;
    const topic = position === 1 ? `${heading} basics` : position === count && count >= 3 ? "Common ground" : `${heading} ${body.model} ${position}`;
    return { topic, explanation: `${body.model} idea ${position}` };
  });
  return { topics };
}

function numberedItems(text: string): Array<{ id: number; topic: string }> {
  return [...text.matchAll(/^(\d+)\. ([^:\n]+)/gm)].map((match) => ({ id: Number(match[1]), topic: match[2]!.trim() }));
}

function critique(body: ChatRequestBody) {
  const verdicts = numberedItems(userText(body)).map(({ id, topic }) => ({ id, topic, action: id % 2 === 1 ? "accept" : "reject", reason: `${body.model} on ${id}` }));
  return { verdicts };
}

function judge(body: ChatRequestBody) {
  const remove = numberedItems(userText(body))
    .filter(({ topic }) => topic.endsWith(" 3"))
    .map(({ id, topic }) => ({ id, topic, reason: "too close to others" }));
  return { remove, summary: `${body.model} removed ${remove.length}` };
}

const FAULTS: ScriptedReply[] = [{ status: 429, headers: { "retry-after": "0" } }, { status: 500 }, { reset: true }, { status: 503 }, { truncate: '{"topics": []}' }];

/**
 * Every 4th request (a quarter) fails transiently, cycling through 429 with Retry-After, 500,
 * a connection reset, 503 and a truncated body; with `hangs`, a hang replaces every 20th fault.
 */
export function withTransientFaults(script: ChatScript, options: { hangs?: boolean } = {}): ChatScript {
  return (body, request) => {
    if (request.index % 4 !== 3) return script(body, request);
    const fault = Math.floor(request.index / 4);
    if (options.hangs && fault % 20 === 7) return { hang: true };
    return FAULTS[fault % FAULTS.length]!;
  };
}
