/** How a model client retries transient failures. */
export interface RetryPolicy {
  /** Retries after the first attempt. 0 disables retrying. */
  maxRetries: number;
  /** Backoff before the first retry, in milliseconds; doubles per retry. */
  initialDelayMs: number;
  /** Cap on one backoff, in milliseconds. */
  maxDelayMs: number;
  /** Cap on a server's Retry-After we are willing to honour, in milliseconds. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 6, initialDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

/**
 * Delay before retry number `retry` (0-based). A server's Retry-After wins (capped); otherwise
 * exponential backoff with "equal jitter": half the step is fixed, half random, so clients that
 * failed together do not come back together but none retries immediately.
 */
export function retryDelayMs(retry: number, policy: RetryPolicy, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), policy.maxRetryAfterMs);
  const step = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** retry);
  return step / 2 + random() * (step / 2);
}

/**
 * Milliseconds a server asked us to wait: `retry-after-ms` (OpenAI's), else `Retry-After` as
 * seconds or an HTTP date. Undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: { get(name: string): string | null } | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const milliseconds = Number.parseFloat(headers.get("retry-after-ms") ?? "");
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number.parseFloat(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
