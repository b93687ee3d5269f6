/**
 * The one embedding-model contract every backend is mapped to (as chat-model.ts is for chat):
 * batching, retries, caching and usage accounting (embedding-client.ts) never see a backend's
 * own wire types.
 */

/** Version of this contract; recorded in cache keys so a change of shape never reuses old vectors. */
export const EMBEDDING_MODEL_SPECIFICATION_VERSION = "v1";

export interface EmbeddingResponse {
  /** One vector per input, in input order, all of the same length. */
  vectors: Float32Array[];
  /** Input tokens as the server counted them (0 when it does not say); completionTokens is always 0. */
  usage: { promptTokens: number; completionTokens: number };
}

/** A backend that embeds texts. One instance per configured endpoint. */
export interface EmbeddingModel {
  readonly specificationVersion: typeof EMBEDDING_MODEL_SPECIFICATION_VERSION;
  readonly provider: string;
  /** What identifies the model's vectors, for cache keys: the served model name (no address, no secret). */
  readonly identity: string;
  embed(inputs: readonly string[], options: { signal: AbortSignal }): Promise<EmbeddingResponse>;
  close(): Promise<void>;
}
