import { test } from "node:test";
import assert from "node:assert/strict";
import { parseRetryAfter, retryDelayMs, type RetryPolicy } from "./retry-policy.js";

const policy: RetryPolicy = { maxRetries: 5, initialDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 60_000 };

test("backoff doubles per retry with equal jitter, capped", () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((retry) => retryDelayMs(retry, policy, undefined, () => 0)), [50, 100, 200, 400, 500, 500]);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((retry) => retryDelayMs(retry, policy, undefined, () => 1)), [100, 200, 400, 800, 1000, 1000]);
});

test("Retry-After wins over backoff and is capped", () => {
  assert.equal(retryDelayMs(0, policy, 3000, () => 0), 3000);
  assert.equal(retryDelayMs(0, policy, 600_000, () => 0), 60_000);
});

test("Retry-After is read as seconds, an HTTP date, or OpenAI's retry-after-ms", () => {
  const headers = (entries: Record<string, string>) => new Headers(entries);
  assert.equal(parseRetryAfter(headers({ "retry-after": "2" })), 2000);
  assert.equal(parseRetryAfter(headers({ "retry-after": "0.5" })), 500);
  assert.equal(parseRetryAfter(headers({ "retry-after-ms": "250", "retry-after": "9" })), 250);
  assert.equal(parseRetryAfter(headers({ "retry-after": "Wed, 21 Oct 2015 07:28:05 GMT" }), Date.parse("Wed, 21 Oct 2015 07:28:00 GMT")), 5000);
  assert.equal(parseRetryAfter(headers({ "retry-after": "soon" })), undefined);
  assert.equal(parseRetryAfter(headers({})), undefined);
});
