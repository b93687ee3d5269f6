import { z } from "zod";

const positiveInteger = z.number().int().positive();

/** Secrets never go in config files; a key named like one gets this message instead of a generic one. */
export const noSecretHere = z
  .never({ error: "secrets never go in config files; put the key in an environment variable and name it with apiKeyEnv" })
  .optional();

/** Price per million tokens, for the cost column of the usage report. */
const priceSchema = z.strictObject({
  /** Dollars (or any currency) per million prompt tokens. */
  promptPerMillion: z.number().nonnegative(),
  /** Per million completion tokens. */
  completionPerMillion: z.number().nonnegative(),
});

const endpointURL = z.url({ protocol: /^https?$/, error: "expected an http(s) URL such as http://127.0.0.1:8000/v1" });

/**
 * One endpoint, or a list of replicas serving the same model (several vLLM servers): requests
 * go to the least busy replica, and a failing one is backed off while the others answer.
 */
export const baseURLSchema = z.union([
  endpointURL,
  z
    .array(endpointURL)
    .min(1, "expected at least one URL")
    .superRefine((urls, context) => {
      const seen = new Set<string>();
      for (const [index, url] of urls.entries()) {
        if (seen.has(url)) context.addIssue({ code: "custom", message: `${url} is listed twice`, path: [index] });
        seen.add(url);
      }
    }),
], { error: "expected an http(s) URL, or a list of them for replicas of the model" });

/** Name of the environment variable holding the API key (the key itself never appears in config). */
export const apiKeyEnvSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an environment variable name");

/** Keys every model (chat or embeddings) has: how hard to push the backend and how to retry it. */
export const retryKeys = {
  /** Requests in flight at once for this model (per replica when baseURL lists several). */
  maxConcurrency: positiveInteger.optional(),
  /** Seconds before a request is abandoned (and retried). */
  timeoutSeconds: z.number().positive().optional(),
  /** Retries after a transient failure (429, 5xx, timeout, reset). Default 6. */
  maxRetries: z.number().int().min(0).max(50).default(6),
  /** Backoff before the first retry, in seconds; doubles per retry (with jitter) up to 30 s. Default 0.5. */
  retryDelaySeconds: z.number().min(0).max(60).default(0.5),
};

/** Keys both kinds of chat model share. */
const operationalKeys = {
  ...retryKeys,
  /** Cap on generated tokens per call. Default 2048. */
  maxTokens: positiveInteger.default(2048),
  price: priceSchema.optional(),
};

/**
 * A model behind an OpenAI-compatible chat-completions endpoint (vLLM, SGLang, Ollama,
 * llama.cpp server, LM Studio, hosted APIs).
 */
export const httpModelConfigSchema = z.strictObject({
  /** Endpoint base, e.g. http://127.0.0.1:8000/v1, or a list of replicas of the same model. */
  baseURL: baseURLSchema,
  /** Model name the server serves. */
  model: z.string().min(1),
  /** Name of the environment variable holding the API key (the key itself never appears in config). */
  apiKeyEnv: apiKeyEnvSchema.optional(),
  apiKey: noSecretHere,
  /**
   * "auto" (default): JSON-schema response format, falling back to plain text when the server
   * refuses it; "json-schema": always; "none": plain text with the schema described in the prompt.
   */
  structuredOutput: z.enum(["auto", "json-schema", "none"]).default("auto"),
  ...operationalKeys,
});

/** A local GGUF file run in-process by llama.cpp (node-llama-cpp), constrained by a JSON-schema grammar. */
export const ggufModelConfigSchema = z.strictObject({
  /** Path of the .gguf file. */
  gguf: z.string().min(1),
  /** Context window in tokens. Default 4096. */
  contextSize: positiveInteger.default(4096),
  /** CPU threads for inference. Default 1. */
  threads: positiveInteger.default(1),
  /** Seed for sampling, so local runs repeat. Default 0. */
  seed: z.number().int().min(0).default(0),
  ...operationalKeys,
});

export type HttpModelConfig = z.infer<typeof httpModelConfigSchema>;
export type GgufModelConfig = z.infer<typeof ggufModelConfigSchema>;
export type ModelConfig = HttpModelConfig | GgufModelConfig;

/**
 * A model entry: a GGUF model when it has a `gguf` key, else an HTTP one. Chosen up front
 * rather than as a union, so problems are reported against the kind the user meant.
 */
export const modelConfigSchema = z.unknown().transform((value, context): ModelConfig => {
  const isGguf = typeof value === "object" && value !== null && "gguf" in value;
  const parsed = (isGguf ? ggufModelConfigSchema : httpModelConfigSchema).safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) context.addIssue({ code: "custom", message: issue.message, path: issue.path });
  return z.NEVER;
});

/** A model's name in the config file. */
export const modelNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "model names are letters, digits, '.', '_' or '-'");

/** Configured models by name (the names the debate refers to). */
export const modelsConfigSchema = z.record(modelNameSchema, modelConfigSchema);
export type ModelsConfig = z.infer<typeof modelsConfigSchema>;

export function isGgufModel(config: ModelConfig): config is GgufModelConfig {
  return "gguf" in config;
}

/** The endpoints of an HTTP model: its one baseURL, or each replica's. */
export function replicaURLs(config: Pick<HttpModelConfig, "baseURL">): string[] {
  return typeof config.baseURL === "string" ? [config.baseURL] : config.baseURL;
}

/** Concurrency when not configured: a local model answers one request at a time per context. */
export function maxConcurrencyOf(config: ModelConfig): number {
  return config.maxConcurrency ?? (isGgufModel(config) ? 1 : 8);
}

/** Request timeout in milliseconds when not configured: local generation on a CPU is slow. */
export function timeoutMsOf(config: ModelConfig): number {
  return (config.timeoutSeconds ?? (isGgufModel(config) ? 600 : 120)) * 1000;
}
