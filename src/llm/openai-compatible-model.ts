import type OpenAI from "openai";
import { z } from "zod";
import { CHAT_MODEL_SPECIFICATION_VERSION, type ChatCallOptions, type ChatModel, type ChatRequest, type ChatResponse } from "./chat-model.js";
import { ModelCallError } from "./model-call-error.js";
import type { HttpModelConfig } from "./model-config.js";
import { modelCallErrorFrom, openAIClient } from "./openai-client.js";

// What we need of a chat-completions reply; servers differ in everything else.
const completionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullish() }).nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: z.object({ prompt_tokens: z.number().nullish(), completion_tokens: z.number().nullish() }).nullish(),
});

/**
 * A model behind an OpenAI-compatible chat-completions endpoint, through the official `openai`
 * client with its own retries switched off (ModelClient retries, so usage counts every attempt).
 * In "auto" mode the reply is constrained with a JSON-schema response format; a server that
 * rejects the format is asked again without it, and plain text is used from then on.
 */
export class OpenAICompatibleModel implements ChatModel {
  readonly specificationVersion = CHAT_MODEL_SPECIFICATION_VERSION;
  readonly provider = "openai-compatible";
  readonly identity: string;
  private readonly client: OpenAI;
  private sendSchema: boolean;

  /** `baseURL` is this endpoint's (one replica's) address; the rest comes from the model's config. */
  constructor(
    readonly name: string,
    baseURL: string,
    private readonly config: Omit<HttpModelConfig, "baseURL">,
    environment: NodeJS.ProcessEnv = process.env,
  ) {
    this.identity = `${this.provider}:${config.model}`;
    this.sendSchema = config.structuredOutput !== "none";
    this.client = openAIClient(baseURL, config.apiKeyEnv, environment);
  }

  async complete(request: ChatRequest, options: ChatCallOptions): Promise<ChatResponse> {
    const withSchema = this.sendSchema && request.jsonSchema !== undefined;
    try {
      return await this.send(request, withSchema, options);
    } catch (error) {
      const refusedFormat = error instanceof ModelCallError && error.failure === "rejected-request";
      if (!withSchema || !refusedFormat || this.config.structuredOutput !== "auto") throw error;
      // The server may not support response_format; ask once more without it.
      const reply = await this.send(request, false, options);
      this.sendSchema = false;
      return reply;
    }
  }

  async close(): Promise<void> {}

  private async send(request: ChatRequest, withSchema: boolean, options: ChatCallOptions): Promise<ChatResponse> {
    const body: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming = {
      model: this.config.model,
      messages: request.messages,
      temperature: request.temperature,
      top_p: request.topP,
    };
    if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
    if (withSchema && request.jsonSchema) {
      body.response_format = { type: "json_schema", json_schema: { name: request.jsonSchema.name, schema: request.jsonSchema.schema, strict: true } };
    }
    let raw: unknown;
    try {
      raw = await this.client.chat.completions.create(body, { signal: options.signal });
    } catch (error) {
      throw modelCallErrorFrom(this.name, error, options.signal);
    }
    const parsed = completionSchema.safeParse(raw);
    if (!parsed.success) throw new ModelCallError(this.name, "malformed-response", `reply is not a chat completion (${parsed.error.issues[0]?.message})`);
    const choice = parsed.data.choices[0]!;
    return {
      text: choice.message?.content ?? "",
      finishReason: choice.finish_reason ?? "unknown",
      usage: { promptTokens: parsed.data.usage?.prompt_tokens ?? 0, completionTokens: parsed.data.usage?.completion_tokens ?? 0 },
      structured: withSchema ? "json-schema" : "none",
    };
  }
}
