import { LitelongError } from "../../core/errors.js";
import type { ChatMessage, JsonSchemaFormat } from "../../llm/chat-model.js";
import type { ModelClient } from "../../llm/model-client.js";
import { renderTemplate, type PromptTemplate } from "./prompt-templates.js";
import type { ParseResult } from "./reply-parsers.js";

/** A model kept replying with something we could not read, after every re-ask. */
export class UnreadableReplyError extends LitelongError {}

export interface JsonQuestion<T> {
  client: ModelClient;
  messages: ChatMessage[];
  jsonSchema: JsonSchemaFormat;
  parse: (reply: string) => ParseResult<T>;
  /** Shape of the expected JSON in words, for the re-ask. */
  format: string;
  sampling: { temperature: number; topP: number; maxTokens: number };
  reask: PromptTemplate;
  maxReasks: number;
}

export interface JsonAnswer<T> {
  value: T;
  /** Re-asks it took. */
  reasks: number;
  /** True when every call was answered from the cache. */
  fromCache: boolean;
}

/**
 * Asks a model for JSON and reads the reply leniently; an unreadable reply is shown back to the
 * model with what was wrong, up to `maxReasks` times. The conversation grows with each re-ask,
 * so every attempt is a different request (and a different cache entry): a rerun replays the
 * same sequence from the cache instead of getting the bad reply back forever.
 */
export async function askJson<T>(question: JsonQuestion<T>): Promise<JsonAnswer<T>> {
  let messages = question.messages;
  let fromCache = true;
  for (let reasks = 0; ; reasks++) {
    const reply = await question.client.complete({ messages, ...question.sampling, jsonSchema: question.jsonSchema });
    fromCache &&= reply.fromCache;
    const parsed = question.parse(reply.text);
    if (parsed.ok) return { value: parsed.value, reasks, fromCache };
    const problem = reply.finishReason === "length" ? `${parsed.problem}; the reply was cut off at the token limit, so keep it shorter` : parsed.problem;
    if (reasks >= question.maxReasks) {
      throw new UnreadableReplyError(`model ${question.client.name}: unreadable reply after ${reasks + 1} attempts (${problem})`);
    }
    messages = [...messages, { role: "assistant", content: reply.text }, ...renderTemplate(question.reask, { problem, format: question.format })];
  }
}
