import { z } from "zod";
import { apiKeyEnvSchema, baseURLSchema, modelNameSchema, noSecretHere, retryKeys } from "./model-config.js";

/**
 * A model behind an OpenAI-compatible `/v1/embeddings` endpoint (text-embeddings-inference,
 * vLLM, Ollama, hosted APIs), configured like a chat model under `embeddingModels:`.
 * Defaults: 4 requests in flight per replica, 120 s per request, 6 retries.
 */
export const embeddingModelConfigSchema = z.strictObject({
  /** Endpoint base, e.g. http://127.0.0.1:8080/v1, or a list of replicas of the same model. */
  baseURL: baseURLSchema,
  /** Model name the server serves. */
  model: z.string().min(1),
  /** Name of the environment variable holding the API key (the key itself never appears in config). */
  apiKeyEnv: apiKeyEnvSchema.optional(),
  apiKey: noSecretHere,
  /** Texts per request, 1 to 2048. Default 32 (text-embeddings-inference's default cap per request). */
  batchSize: z.number().int().min(1).max(2048).default(32),
  ...retryKeys,
});
export type EmbeddingModelConfig = z.infer<typeof embeddingModelConfigSchema>;

/** Configured embedding models by name (`--embeddings <name>` picks one). */
export const embeddingModelsConfigSchema = z.record(modelNameSchema, embeddingModelConfigSchema);
export type EmbeddingModelsConfig = z.infer<typeof embeddingModelsConfigSchema>;
