import type { ChatModel, ChatUsage } from "./chat-model.js";
import { ModelCallError, type ModelCallFailure } from "./model-call-error.js";
import { retryDelayMs, type RetryPolicy } from "./retry-policy.js";

/** One endpoint serving a model: a server of a replicated model, or the model's only backend. */
export interface Replica<Backend> {
  /** Where it is, for reports: its URL without credentials, or the GGUF file. */
  address: string;
  model: Backend;
}

export type ChatReplica = Replica<ChatModel>;

/** What a pool needs of a backend: a way to release it. */
export interface ReplicaBackend {
  close(): Promise<void>;
}

/** What one replica did during a run. */
export interface ReplicaUsage {
  address: string;
  /** Requests sent to it, including failed ones. */
  requests: number;
  /** Requests that failed, for any reason. */
  failures: number;
  /** Times it was taken out of rotation after failing. */
  backoffs: number;
  promptTokens: number;
  completionTokens: number;
  /** Seconds spent in its requests, summed over concurrent requests. */
  requestSeconds: number;
}

export interface ReplicaPoolOptions {
  /** Requests in flight at once on each replica. */
  maxConcurrencyPerReplica: number;
  /**
   * How long a failing replica is left alone: the retry policy's backoff for its number of
   * consecutive failures (a server's Retry-After wins).
   */
  backoff: RetryPolicy;
  /** Random source for the backoff's jitter. */
  random?: () => number;
}

/** Failures that say the replica itself is unwell, rather than the request or its reply. */
const REPLICA_FAILURES: ReadonlySet<ModelCallFailure> = new Set(["connection", "server-error", "timeout", "rate-limited"]);

interface ReplicaState<Backend> {
  readonly replica: Replica<Backend>;
  readonly usage: ReplicaUsage;
  inFlight: number;
  /** 0 while the replica answers; counts failures since its last answer. */
  consecutiveFailures: number;
  /** performance.now() until which a failing replica gets no traffic while others answer. */
  backedOffUntil: number;
  /** A failing replica whose backoff ended gets one request at a time to see if it is back. */
  probing: boolean;
  lastFailure: string;
}

/** A slot on a replica, held for one request. */
interface Lease<Backend> {
  state: ReplicaState<Backend>;
  /** Whether this request is the one checking if a failing replica is back. */
  probe: boolean;
}

/**
 * The replicas of one model and which of them takes the next request: the least busy replica
 * (fewest requests in flight, then fewest sent so far, then list order) among those answering.
 * A replica that fails with a connection error, 5xx, 429 or timeout is backed off
 * exponentially; when its backoff ends it is sent one probe request at a time until one
 * succeeds. When every replica is failing, requests go to the one whose backoff ends first
 * (the caller's own retry backoff paces them), so one replica behaves as a plain client.
 * Which replica answers changes no reply's content, only where it came from. Backends are
 * chat models or embedding models; replies report their token usage.
 */
export class ReplicaPool<Backend extends ReplicaBackend = ChatModel> {
  private readonly states: ReplicaState<Backend>[];
  private readonly waiting: Array<(lease: Lease<Backend>) => void> = [];

  constructor(
    replicas: readonly Replica<Backend>[],
    private readonly options: ReplicaPoolOptions,
  ) {
    if (replicas.length === 0) throw new RangeError("a model needs at least one replica");
    const limit = options.maxConcurrencyPerReplica;
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency limit must be a positive integer, got ${limit}`);
    this.states = replicas.map((replica) => ({
      replica,
      usage: { address: replica.address, requests: 0, failures: 0, backoffs: 0, promptTokens: 0, completionTokens: 0, requestSeconds: 0 },
      inFlight: 0,
      consecutiveFailures: 0,
      backedOffUntil: 0,
      probing: false,
      lastFailure: "",
    }));
  }

  /** Per replica, in configured order. */
  usage(): ReplicaUsage[] {
    return this.states.map((state) => ({ ...state.usage }));
  }

  /** Runs `call` on the chosen replica once it has a free slot, and records how it went. */
  async run<Reply extends { usage: ChatUsage }>(call: (model: Backend) => Promise<Reply>): Promise<Reply> {
    const lease = await this.acquire();
    const { state } = lease;
    const started = performance.now();
    try {
      const response = await call(state.replica.model);
      state.consecutiveFailures = 0;
      state.backedOffUntil = 0;
      state.usage.promptTokens += response.usage.promptTokens;
      state.usage.completionTokens += response.usage.completionTokens;
      return response;
    } catch (error) {
      state.usage.failures++;
      if (error instanceof ModelCallError && REPLICA_FAILURES.has(error.failure)) this.backOff(state, error);
      throw error;
    } finally {
      state.usage.requestSeconds += (performance.now() - started) / 1000;
      this.release(lease);
    }
  }

  /**
   * Whether a request that just failed this way can be retried at once on another replica:
   * the replica was at fault and some other replica is answering.
   */
  canRetryElsewhereNow(failure: ModelCallError): boolean {
    return this.states.length > 1 && REPLICA_FAILURES.has(failure.failure) && this.states.some((state) => state.consecutiveFailures === 0);
  }

  /**
   * The error to report when a call is given up: with several replicas all failing, one that
   * names each replica and its last failure; otherwise the call's own error.
   */
  finalError(failure: ModelCallError): ModelCallError {
    const allFailing = this.states.every((state) => state.consecutiveFailures > 0);
    if (this.states.length === 1 || !allFailing || !REPLICA_FAILURES.has(failure.failure)) return failure;
    const each = this.states.map((state) => `${state.replica.address} (${state.lastFailure})`).join("; ");
    return new ModelCallError(failure.model, failure.failure, `all ${this.states.length} replicas failed: ${each}`, { status: failure.status, cause: failure });
  }

  /** Releases what every replica holds. */
  async close(): Promise<void> {
    await Promise.all(this.states.map((state) => state.replica.model.close()));
  }

  private backOff(state: ReplicaState<Backend>, error: ModelCallError): void {
    state.lastFailure = error.reason;
    const now = performance.now();
    // Requests that were in flight when the replica went down fail together: count that once.
    if (now < state.backedOffUntil) return;
    state.usage.backoffs++;
    state.consecutiveFailures++;
    state.backedOffUntil = now + retryDelayMs(state.consecutiveFailures - 1, this.options.backoff, error.retryAfterMs, this.options.random);
  }

  private acquire(): Promise<Lease<Backend>> {
    const chosen = this.waiting.length === 0 ? this.choose() : undefined;
    if (chosen) return Promise.resolve(this.take(chosen));
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(lease: Lease<Backend>): void {
    lease.state.inFlight--;
    if (lease.probe) lease.state.probing = false;
    // Waiters are served in arrival order, each by the replica that is best for it now.
    while (this.waiting.length > 0) {
      const next = this.choose();
      if (!next) return;
      this.waiting.shift()!(this.take(next));
    }
  }

  private take(state: ReplicaState<Backend>): Lease<Backend> {
    state.inFlight++;
    state.usage.requests++;
    const probe = state.consecutiveFailures > 0 && !state.probing;
    if (probe) state.probing = true;
    return { state, probe };
  }

  /** The replica for the next request, or undefined when it must wait for a slot. */
  private choose(): ReplicaState<Backend> | undefined {
    const now = performance.now();
    const free = this.states.filter((state) => state.inFlight < this.options.maxConcurrencyPerReplica);
    const usable = free.filter((state) => state.consecutiveFailures === 0 || (now >= state.backedOffUntil && !state.probing));
    if (usable.length > 0) return leastBusy(usable);
    // Answering replicas are all busy: wait for one rather than use a failing one.
    if (this.states.some((state) => state.consecutiveFailures === 0)) return undefined;
    if (free.length === 0) return undefined;
    const soonest = Math.min(...free.map((state) => state.backedOffUntil));
    return leastBusy(free.filter((state) => state.backedOffUntil === soonest));
  }
}

/** Fewest in flight, then fewest sent so far (so one request at a time still rotates), then list order. */
function leastBusy<Backend>(states: ReplicaState<Backend>[]): ReplicaState<Backend> {
  return states.reduce((best, state) =>
    state.inFlight < best.inFlight || (state.inFlight === best.inFlight && state.usage.requests < best.usage.requests) ? state : best,
  );
}

/** A URL as reports show it: any user name or password in it replaced by "***". */
export function redactedAddress(url: string): string {
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password) return url;
  parsed.username = "***";
  parsed.password = "";
  return parsed.href;
}
