import { callWithRetries, type RequestObserver } from "./call-with-retries.js";
import { embeddingCacheKey, type EmbeddingCache } from "./embedding-cache.js";
import type { EmbeddingModelConfig } from "./embedding-config.js";
import type { EmbeddingModel } from "./embedding-model.js";
import { ModelCallError } from "./model-call-error.js";
import { replicaURLs } from "./model-config.js";
import { emptyUsage, type ModelUsage } from "./model-usage.js";
import { OpenAICompatibleEmbeddingModel } from "./openai-compatible-embedding-model.js";
import { redactedAddress, ReplicaPool, type Replica, type ReplicaUsage } from "./replica-pool.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry-policy.js";

export interface EmbeddingClientOptions {
  /** Texts per request. */
  batchSize: number;
  /** Requests in flight at once on each replica. */
  maxConcurrency: number;
  /** Milliseconds before a request is abandoned and counted as a (retryable) timeout. */
  timeoutMs: number;
  retry: RetryPolicy;
  cache?: EmbeddingCache;
  observer?: RequestObserver;
  /** Random source for jitter (tests pass a fixed one). */
  random?: () => number;
}

/**
 * What the pipeline calls to embed texts: the cache first, then the texts it lacks (each
 * distinct text once) in requests of `batchSize`, all queued at once on the model's replicas
 * (least busy first, `maxConcurrency` in flight on each) with the chat client's timeouts and
 * retries. In `usage`, `calls` and `requests` count requests and `cacheHits` counts texts.
 */
export class EmbeddingClient {
  readonly usage: ModelUsage = emptyUsage();
  /** Texts embedded by the model (not from the cache). */
  embeddedTexts = 0;
  /** Length of the model's vectors, once one has been seen. */
  dimensions: number | undefined;
  readonly identity: string;
  private readonly pool: ReplicaPool<EmbeddingModel>;

  constructor(
    readonly name: string,
    replicas: readonly Replica<EmbeddingModel>[],
    private readonly options: EmbeddingClientOptions,
  ) {
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) throw new RangeError(`batch size must be a positive integer, got ${options.batchSize}`);
    const identities = new Set(replicas.map((replica) => replica.model.identity));
    if (identities.size > 1) throw new RangeError(`replicas of embedding model ${name} serve different models: ${[...identities].join(", ")}`);
    this.identity = replicas[0]?.model.identity ?? "";
    this.pool = new ReplicaPool(replicas, { maxConcurrencyPerReplica: options.maxConcurrency, backoff: options.retry, random: options.random });
  }

  /** One vector per text, in order. Fails (after retries) when any request fails; vectors already received stay cached. */
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const keys = texts.map((text) => embeddingCacheKey(this.identity, text));
    const found = new Map<string, Float32Array>();
    const missing = new Map<string, string>();
    keys.forEach((key, i) => {
      const cached = this.options.cache?.get(key);
      if (cached) {
        found.set(key, cached);
        this.usage.cacheHits++;
      } else missing.set(key, texts[i]!);
    });
    const missingKeys = [...missing.keys()];
    const batches: string[][] = [];
    for (let start = 0; start < missingKeys.length; start += this.options.batchSize) batches.push(missingKeys.slice(start, start + this.options.batchSize));
    const run: BatchRun = { failure: undefined, givenUp: false };
    await Promise.all(
      batches.map(async (batch) => {
        try {
          const vectors = await this.request(batch.map((key) => missing.get(key)!), run);
          batch.forEach((key, i) => {
            found.set(key, vectors[i]!);
            this.options.cache?.put(key, vectors[i]!);
          });
        } catch (error) {
          run.givenUp = true;
          // The failure that stopped the others is the one to report, not their "aborted".
          if (run.failure === undefined || isAborted(run.failure)) run.failure = error;
        }
      }),
    );
    if (run.failure !== undefined) throw run.failure;
    return keys.map((key) => found.get(key)!);
  }

  /** What each replica did, in configured order. */
  replicaUsage(): ReplicaUsage[] {
    return this.pool.usage();
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  /** One request; queued requests of the same embed call are not sent once another has failed for good. */
  private async request(texts: string[], run: BatchRun): Promise<Float32Array[]> {
    const { timeoutMs, retry, observer, random } = this.options;
    const reply = await callWithRetries(
      this.pool,
      async (model, signal) => {
        if (run.givenUp) throw new ModelCallError(this.name, "aborted", "another request failed");
        try {
          return await model.embed(texts, { signal });
        } catch (error) {
          // Known here, before the slot goes to the next queued request.
          if (!(error instanceof ModelCallError) || !error.retryable) run.givenUp = true;
          throw error;
        }
      },
      { model: this.name, timeoutMs, retry, usage: this.usage, observer, random },
    );
    const dimensions = reply.vectors[0]!.length;
    this.dimensions ??= dimensions;
    if (dimensions !== this.dimensions) throw new ModelCallError(this.name, "malformed-response", `vectors of ${dimensions} dimensions after vectors of ${this.dimensions}`);
    this.embeddedTexts += texts.length;
    return reply.vectors;
  }
}

function isAborted(error: unknown): boolean {
  return error instanceof ModelCallError && error.failure === "aborted";
}

/** The requests of one embed call: the first failure, and whether to stop sending. */
interface BatchRun {
  failure: unknown;
  givenUp: boolean;
}

export interface OpenEmbeddingClientOptions {
  cache?: EmbeddingCache;
  observer?: RequestObserver;
  /** Where the API key is read from (by the model's apiKeyEnv). Default process.env. */
  environment?: NodeJS.ProcessEnv;
}

/** A client for a configured embedding model: one replica per baseURL, all with the model's API key. */
export function openEmbeddingClient(name: string, config: EmbeddingModelConfig, options: OpenEmbeddingClientOptions = {}): EmbeddingClient {
  const replicas = replicaURLs(config).map((url) => ({ address: redactedAddress(url), model: new OpenAICompatibleEmbeddingModel(name, url, config, options.environment) }));
  return new EmbeddingClient(name, replicas, {
    batchSize: config.batchSize,
    maxConcurrency: config.maxConcurrency ?? 4,
    timeoutMs: (config.timeoutSeconds ?? 120) * 1000,
    retry: { ...DEFAULT_RETRY_POLICY, maxRetries: config.maxRetries, initialDelayMs: config.retryDelaySeconds * 1000 },
    cache: options.cache,
    observer: options.observer,
  });
}
