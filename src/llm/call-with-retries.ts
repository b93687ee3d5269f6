import { setTimeout as sleep } from "node:timers/promises";
import type { ChatUsage } from "./chat-model.js";
import { ModelCallError } from "./model-call-error.js";
import type { ModelUsage } from "./model-usage.js";
import type { ReplicaBackend, ReplicaPool } from "./replica-pool.js";
import { retryDelayMs, type RetryPolicy } from "./retry-policy.js";

/** Told when a request starts and ends (benchmarks measure requests in flight with it). */
export interface RequestObserver {
  requestStarted(model: string): void;
  requestFinished(model: string): void;
}

export interface RetryingCallOptions {
  /** The model's configured name, for errors and the observer. */
  model: string;
  /** Milliseconds before an attempt is abandoned and counted as a (retryable) timeout. */
  timeoutMs: number;
  retry: RetryPolicy;
  /** Counted into: requests, requestSeconds, retries, failures, and calls and tokens on success. */
  usage: ModelUsage;
  observer?: RequestObserver;
  /** Random source for jitter (tests pass a fixed one). */
  random?: () => number;
}

/**
 * One call to a model (chat or embeddings) through its replica pool: each attempt takes a slot
 * on the best replica and runs under a timeout; a retryable failure is tried again at once on
 * another answering replica, or after a backoff honouring Retry-After, up to the policy's
 * retries. `send` must throw ModelCallErrors (anything else counts as a local, final failure).
 */
export async function callWithRetries<Backend extends ReplicaBackend, Reply extends { usage: ChatUsage }>(
  pool: ReplicaPool<Backend>,
  send: (backend: Backend, signal: AbortSignal) => Promise<Reply>,
  options: RetryingCallOptions,
): Promise<Reply> {
  const { retry, usage } = options;
  for (let attempt = 0; ; attempt++) {
    try {
      const reply = await pool.run((backend) => timedAttempt(backend, send, options));
      usage.calls++;
      usage.promptTokens += reply.usage.promptTokens;
      usage.completionTokens += reply.usage.completionTokens;
      return reply;
    } catch (error) {
      const failure = error instanceof ModelCallError ? error : new ModelCallError(options.model, "local-model", (error as Error).message, { cause: error });
      if (!failure.retryable || attempt >= retry.maxRetries) {
        usage.failures++;
        throw pool.finalError(failure);
      }
      usage.retries++;
      if (pool.canRetryElsewhereNow(failure)) continue;
      // The slot is free while we back off, so other requests keep the model busy.
      await sleep(retryDelayMs(attempt, retry, failure.retryAfterMs, options.random));
    }
  }
}

async function timedAttempt<Backend, Reply>(backend: Backend, send: (backend: Backend, signal: AbortSignal) => Promise<Reply>, options: RetryingCallOptions): Promise<Reply> {
  const started = performance.now();
  options.usage.requests++;
  options.observer?.requestStarted(options.model);
  try {
    return await send(backend, AbortSignal.timeout(options.timeoutMs));
  } finally {
    options.usage.requestSeconds += (performance.now() - started) / 1000;
    options.observer?.requestFinished(options.model);
  }
}
