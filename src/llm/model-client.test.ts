import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { appendFileSync, readFileSync } from "node:fs";
import { withServer, type ChatScript, type ChatTestServer } from "../test-support/chat-test-server.js";
import { temporaryDirectory } from "../test-support/fixtures.js";
import type { ChatRequest } from "./chat-model.js";
import { ModelCallError } from "./model-call-error.js";
import { ModelClient } from "./model-client.js";
import { httpModelConfigSchema } from "./model-config.js";
import { OpenAICompatibleModel } from "./openai-compatible-model.js";
import { ResponseCache } from "./response-cache.js";

const REQUEST: ChatRequest = {
  messages: [
    { role: "system", content: "You answer in JSON." },
    { role: "user", content: "Name one topic." },
  ],
  temperature: 0.6,
  topP: 0.95,
  maxTokens: 64,
  jsonSchema: { name: "one_topic", schema: { type: "object", properties: { topic: { type: "string" } }, required: ["topic"], additionalProperties: false } },
};


function client(server: ChatTestServer, options: { structuredOutput?: string; timeoutMs?: number; maxRetries?: number; maxConcurrency?: number; cache?: ResponseCache; environment?: NodeJS.ProcessEnv } = {}) {
  const config = httpModelConfigSchema.parse({ baseURL: server.baseURL, model: "m-1", apiKeyEnv: "TEST_LLM_KEY", structuredOutput: options.structuredOutput ?? "auto" });
  return new ModelClient("m", [{ address: server.baseURL, model: new OpenAICompatibleModel("m", server.baseURL, config, options.environment ?? {}) }], {
    maxConcurrency: options.maxConcurrency ?? 4,
    timeoutMs: options.timeoutMs ?? 5000,
    retry: { maxRetries: options.maxRetries ?? 3, initialDelayMs: 10, maxDelayMs: 40, maxRetryAfterMs: 5000 },
    cache: options.cache,
    random: () => 0.5,
  });
}

const ok: ChatScript = () => ({ content: '{"topic":"Sourdough starters"}' });

test("sends the chat-completions body with the JSON-schema response format and the API key from the environment", async () => {
  await withServer(ok, async (server) => {
    const reply = await client(server, { environment: { TEST_LLM_KEY: "sk-planted-1234" } }).complete(REQUEST);
    assert.equal(reply.text, '{"topic":"Sourdough starters"}');
    assert.deepEqual(reply.usage, { promptTokens: 10, completionTokens: 2 });
    assert.equal(reply.structured, "json-schema");
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0]!.authorization, "Bearer sk-planted-1234");
    assert.deepEqual(server.requests[0]!.body, {
      model: "m-1",
      messages: REQUEST.messages,
      temperature: 0.6,
      top_p: 0.95,
      max_tokens: 64,
      response_format: { type: "json_schema", json_schema: { name: "one_topic", schema: REQUEST.jsonSchema!.schema, strict: true } },
    });
  });
});

test("a server that refuses response_format is asked again in plain text, and plain text is kept", async () => {
  const script: ChatScript = (body) => (body.response_format ? { status: 400, body: '{"error":{"message":"response_format not supported"}}' } : { content: "[]" });
  await withServer(script, async (server) => {
    const model = client(server);
    assert.equal((await model.complete(REQUEST)).structured, "none");
    assert.equal((await model.complete({ ...REQUEST, temperature: 0.7 })).structured, "none");
    assert.deepEqual(server.requests.map((request) => [request.outcome, "response_format" in request.body]), [[400, true], [200, false], [200, false]]);
    assert.equal(model.usage.retries, 0, "a format fallback is not a retry");
  });
});

test("429 with Retry-After is honoured, then the call succeeds", async () => {
  let calls = 0;
  const script: ChatScript = () => (calls++ === 0 ? { status: 429, headers: { "retry-after": "1" } } : { content: "{}" });
  await withServer(script, async (server) => {
    const model = client(server);
    const started = performance.now();
    await model.complete(REQUEST);
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 1000 && elapsed < 2500, `waited ${elapsed} ms`);
    assert.deepEqual(server.requests.map((request) => request.outcome), [429, 200]);
    assert.deepEqual({ ...model.usage, requestSeconds: 0 }, { calls: 1, cacheHits: 0, requests: 2, retries: 1, failures: 0, promptTokens: 10, completionTokens: 1, requestSeconds: 0 });
  });
});

test("500s, hangs, resets, truncated and non-JSON replies are retried", async () => {
  const faults = [{ status: 500 }, { hang: true as const }, { reset: true as const }, { truncate: "{}" }, { status: 200, body: "<html>oops</html>" }, { status: 503 }];
  let calls = 0;
  const script: ChatScript = () => faults[calls++] ?? { content: '{"topic":"x"}' };
  await withServer(script, async (server) => {
    const model = client(server, { timeoutMs: 300, maxRetries: 6 });
    const reply = await model.complete(REQUEST);
    assert.equal(reply.text, '{"topic":"x"}');
    assert.deepEqual(server.requests.map((request) => request.outcome), [500, "hang", "reset", "truncate", 200, 503, 200]);
    assert.equal(model.usage.retries, 6);
    assert.equal(model.usage.calls, 1);
  });
});

test("errors carry the status and whether they are retryable", async () => {
  await withServer(() => ({ status: 400, body: '{"error":{"message":"bad prompt"}}' }), async (server) => {
    const error = await client(server, { structuredOutput: "none" }).complete(REQUEST).catch((caught: unknown) => caught);
    assert.ok(error instanceof ModelCallError);
    assert.deepEqual([error.status, error.retryable, error.failure, server.requests.length], [400, false, "rejected-request", 1]);
  });
  await withServer(() => ({ status: 502 }), async (server) => {
    const model = client(server, { maxRetries: 2 });
    const error = await model.complete(REQUEST).catch((caught: unknown) => caught);
    assert.ok(error instanceof ModelCallError);
    assert.deepEqual([error.status, error.retryable, error.failure, server.requests.length], [502, true, "server-error", 3]);
    assert.deepEqual([model.usage.retries, model.usage.failures, model.usage.calls], [2, 1, 0]);
  });
});

test("never more requests in flight than maxConcurrency", async () => {
  await withServer(() => ({ content: "{}", delayMs: 20 }), async (server) => {
    const model = client(server, { maxConcurrency: 3 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => model.complete({ ...REQUEST, temperature: i / 20 })));
    assert.equal(server.requests.length, 20);
    assert.equal(server.maxInFlight.get("m-1"), 3);
  });
});

test("identical requests in flight share one call", async () => {
  await withServer(() => ({ content: "{}", delayMs: 20 }), async (server) => {
    const model = client(server);
    await Promise.all([model.complete(REQUEST), model.complete(REQUEST), model.complete(REQUEST)]);
    assert.equal(server.requests.length, 1);
  });
});

test("the response cache survives a reopen and a torn last line; a cached request makes no call", async () => {
  const path = join(temporaryDirectory(), "llm-cache.jsonl");
  await withServer(ok, async (server) => {
    const cache = await ResponseCache.open(path);
    await client(server, { cache }).complete(REQUEST);
    await client(server, { cache }).complete({ ...REQUEST, temperature: 0.1 });
    await cache.close();
    appendFileSync(path, '{"key":"abc","respo'); // a write cut short by a crash
    const reopened = await ResponseCache.open(path);
    assert.deepEqual([reopened.size, reopened.damagedLines], [2, 1]);
    const model = client(server, { cache: reopened });
    const reply = await model.complete(REQUEST);
    assert.deepEqual([reply.fromCache, reply.text, model.usage.cacheHits, server.requests.length], [true, '{"topic":"Sourdough starters"}', 1, 2]);
    await model.complete({ ...REQUEST, topP: 0.5 });
    assert.equal(server.requests.length, 3, "different sampling parameters are a different key");
    await reopened.close();
    const lines = readFileSync(path, "utf8").split("\n");
    assert.equal(lines.length, 4, "torn line cut away, one new line appended");
    assert.ok(lines.slice(0, 3).every((line) => (JSON.parse(line) as { check: string }).check.length === 16));
  });
});

test("usage is priced per million tokens when a price is configured", async () => {
  await withServer(() => ({ content: "one two three four" }), async (server) => {
    const config = httpModelConfigSchema.parse({ baseURL: server.baseURL, model: "m-1" });
    const model = new ModelClient("m", [{ address: server.baseURL, model: new OpenAICompatibleModel("m", server.baseURL, config, {}) }], {
      maxConcurrency: 1,
      timeoutMs: 5000,
      retry: { maxRetries: 0, initialDelayMs: 10, maxDelayMs: 10, maxRetryAfterMs: 10 },
      price: { promptPerMillion: 2, completionPerMillion: 10 },
    });
    await model.complete(REQUEST);
    await model.complete({ ...REQUEST, temperature: 0 });
    assert.deepEqual([model.usage.promptTokens, model.usage.completionTokens], [20, 8]);
    assert.equal(model.usage.cost, (20 * 2 + 8 * 10) / 1e6);
  });
});
