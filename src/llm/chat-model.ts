/**
 * The one chat-model contract every backend is mapped to. Providers translate their wire
 * formats and quirks into these shapes at the boundary, so retries, caching and usage
 * accounting (model-client.ts) never see a backend's own types.
 */

/** Version of this contract; recorded in cache keys so a change of shape never reuses old replies. */
export const CHAT_MODEL_SPECIFICATION_VERSION = "v1";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** A JSON schema the reply must satisfy, for backends that can constrain their output. */
export interface JsonSchemaFormat {
  /** Short identifier (letters, digits, `_`, `-`), sent as the schema's name. */
  name: string;
  schema: Record<string, unknown>;
}

export interface ChatRequest {
  messages: ChatMessage[];
  /** Sampling temperature, 0..2. */
  temperature: number;
  /** Nucleus sampling mass, (0, 1]. */
  topP: number;
  /** Cap on generated tokens. */
  maxTokens?: number;
  /** Constrain the reply to this schema where the backend can (JSON-schema response format, grammar). */
  jsonSchema?: JsonSchemaFormat;
}

export interface ChatUsage {
  promptTokens: number;
  completionTokens: number;
}

/** How the reply was constrained: by the server's JSON-schema mode, a local grammar, or not at all. */
export type StructuredOutputMode = "json-schema" | "grammar" | "none";

export interface ChatResponse {
  text: string;
  /** "stop", "length" (cut at maxTokens), or what the backend reported. */
  finishReason: string;
  usage: ChatUsage;
  structured: StructuredOutputMode;
}

export interface ChatCallOptions {
  /** Aborts the call (timeout or shutdown); providers must stop promptly. */
  signal: AbortSignal;
}

/** A backend that answers chat requests. One instance per configured model. */
export interface ChatModel {
  readonly specificationVersion: typeof CHAT_MODEL_SPECIFICATION_VERSION;
  /** "openai-compatible" or "llama-cpp". */
  readonly provider: string;
  /**
   * What identifies the model's answers, for cache keys: the served model name or the GGUF
   * file's name and size. Excludes addresses and secrets, so moving a server keeps the cache.
   */
  readonly identity: string;
  complete(request: ChatRequest, options: ChatCallOptions): Promise<ChatResponse>;
  /** Releases what the backend holds (native memory, sockets). */
  close(): Promise<void>;
}
