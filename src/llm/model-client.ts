import { callWithRetries, type RequestObserver } from "./call-with-retries.js";
import type { ChatRequest, ChatResponse } from "./chat-model.js";
import { emptyUsage, type ModelUsage } from "./model-usage.js";
import { ReplicaPool, type ChatReplica, type ReplicaUsage } from "./replica-pool.js";
import { responseCacheKey, type ResponseCache } from "./response-cache.js";
import type { RetryPolicy } from "./retry-policy.js";

export type { RequestObserver } from "./call-with-retries.js";

export interface ModelClientOptions {
  /** Requests in flight at once on each replica. */
  maxConcurrency: number;
  /** Milliseconds before a request is abandoned and counted as a (retryable) timeout. */
  timeoutMs: number;
  retry: RetryPolicy;
  /** Per million tokens; gives `usage.cost`. */
  price?: { promptPerMillion: number; completionPerMillion: number };
  cache?: ResponseCache;
  observer?: RequestObserver;
  /** Random source for jitter (tests pass a fixed one). */
  random?: () => number;
}

/** A reply and where it came from. */
export interface ModelReply extends ChatResponse {
  fromCache: boolean;
}

/**
 * What the pipeline calls: a model's replicas (usually one) behind a concurrency limit, a
 * timeout, retries with backoff honouring Retry-After, the response cache and usage
 * accounting. A retry after a replica's failure goes at once to another replica that is
 * answering. Identical requests in flight at the same time share one call.
 */
export class ModelClient {
  readonly usage: ModelUsage = emptyUsage();
  /** What identifies the model's answers (the same for every replica), for cache keys. */
  readonly identity: string;
  private readonly pool: ReplicaPool;
  private readonly pending = new Map<string, Promise<ModelReply>>();

  constructor(
    readonly name: string,
    replicas: readonly ChatReplica[],
    private readonly options: ModelClientOptions,
  ) {
    const identities = new Set(replicas.map((replica) => replica.model.identity));
    if (identities.size > 1) throw new RangeError(`replicas of model ${name} serve different models: ${[...identities].join(", ")}`);
    this.identity = replicas[0]?.model.identity ?? "";
    this.pool = new ReplicaPool(replicas, { maxConcurrencyPerReplica: options.maxConcurrency, backoff: options.retry, random: options.random });
  }

  /** What each replica did, in configured order. */
  replicaUsage(): ReplicaUsage[] {
    return this.pool.usage();
  }

  /** Releases every replica's backend. */
  close(): Promise<void> {
    return this.pool.close();
  }

  async complete(request: ChatRequest): Promise<ModelReply> {
    const key = responseCacheKey(this.identity, request);
    const cached = this.options.cache?.get(key);
    if (cached) {
      this.usage.cacheHits++;
      return { ...cached, fromCache: true };
    }
    let reply = this.pending.get(key);
    if (!reply) {
      reply = this.callAndRemember(key, request).finally(() => this.pending.delete(key));
      this.pending.set(key, reply);
    }
    return reply;
  }

  private async callAndRemember(key: string, request: ChatRequest): Promise<ModelReply> {
    const { timeoutMs, retry, observer, random } = this.options;
    const response = await callWithRetries(this.pool, (model, signal) => model.complete(request, { signal }), { model: this.name, timeoutMs, retry, usage: this.usage, observer, random });
    this.updateCost();
    this.options.cache?.put(key, response);
    return { ...response, fromCache: false };
  }

  private updateCost(): void {
    const price = this.options.price;
    if (!price) return;
    this.usage.cost = (this.usage.promptTokens * price.promptPerMillion + this.usage.completionTokens * price.completionPerMillion) / 1e6;
  }
}
