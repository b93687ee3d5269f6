import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { hashedEmbedding, withServer, type ChatTestServer, type EmbeddingReply } from "../test-support/chat-test-server.js";
import { temporaryDirectory } from "../test-support/fixtures.js";
import { EmbeddingCache } from "./embedding-cache.js";
import { EmbeddingClient } from "./embedding-client.js";
import { embeddingModelsConfigSchema } from "./embedding-config.js";
import { ModelCallError } from "./model-call-error.js";
import { OpenAICompatibleEmbeddingModel } from "./openai-compatible-embedding-model.js";

const KEY = "sk-embed-51d0";
const TEXTS = ["alpha beta", "beta gamma", "gamma delta", "delta alpha", "alpha alpha", "epsilon", "zeta eta", "theta"];

function client(server: ChatTestServer, options: { batchSize?: number; maxConcurrency?: number; maxRetries?: number; cache?: EmbeddingCache; timeoutMs?: number } = {}) {
  const config = embeddingModelsConfigSchema.parse({ e: { baseURL: server.baseURL, model: "embed-1", apiKeyEnv: "TEST_EMBED_KEY" } }).e!;
  return new EmbeddingClient("e", [{ address: server.baseURL, model: new OpenAICompatibleEmbeddingModel("e", server.baseURL, config, { TEST_EMBED_KEY: KEY }) }], {
    batchSize: options.batchSize ?? 3,
    maxConcurrency: options.maxConcurrency ?? 2,
    timeoutMs: options.timeoutMs ?? 5000,
    retry: { maxRetries: options.maxRetries ?? 3, initialDelayMs: 10, maxDelayMs: 40, maxRetryAfterMs: 5000 },
    cache: options.cache,
    random: () => 0.5,
  });
}

const expected = (texts: readonly string[]) => texts.map((text) => Float32Array.from(hashedEmbedding(text)));

test("texts go in batches of batchSize, at most maxConcurrency in flight, as float vectors with the key as Bearer; replies are put back in input order by index", async () => {
  await withServer(() => ({ status: 500 }), async (server) => {
    server.embeddingScript = () => ({ reversed: true, delayMs: 20 });
    const embeddings = client(server);
    const vectors = await embeddings.embed(TEXTS);
    assert.deepEqual(vectors, expected(TEXTS));
    assert.deepEqual(server.embeddingRequests.map((request) => request.body.input).sort(), [TEXTS.slice(0, 3), TEXTS.slice(3, 6), TEXTS.slice(6)].sort());
    assert.ok(server.embeddingRequests.every((request) => request.body.model === "embed-1" && request.body.encoding_format === "float" && request.authorization === `Bearer ${KEY}`));
    assert.equal(server.maxInFlight.get("embed-1"), 2);
    assert.deepEqual([embeddings.usage.calls, embeddings.usage.requests, embeddings.embeddedTexts, embeddings.dimensions, embeddings.usage.promptTokens], [3, 3, 8, 64, 14]);
  });
});

test("a text given twice is sent once; each input gets its vector", async () => {
  await withServer(() => ({ status: 500 }), async (server) => {
    const vectors = await client(server, { batchSize: 10 }).embed(["same words", "other", "same words"]);
    assert.deepEqual(vectors, expected(["same words", "other", "same words"]));
    assert.deepEqual(server.embeddingRequests.map((request) => request.body.input), [["same words", "other"]]);
  });
});

test("429, 5xx, resets, truncated and malformed replies are retried like chat calls; the vectors come out the same", async () => {
  const faults: EmbeddingReply[] = [{ status: 429, headers: { "retry-after": "0" } }, { status: 503 }, { reset: true }, { truncate: true }, { vectors: [[1, 0]] }];
  await withServer(() => ({ status: 500 }), async (server) => {
    server.embeddingScript = (_, { index }) => faults[index] ?? {};
    const embeddings = client(server, { batchSize: 8, maxRetries: 5 });
    assert.deepEqual(await embeddings.embed(TEXTS), expected(TEXTS));
    assert.deepEqual(server.embeddingRequests.map((request) => request.outcome), [429, 503, "reset", "truncate", 200, 200]);
    assert.deepEqual([embeddings.usage.calls, embeddings.usage.requests, embeddings.usage.retries, embeddings.embeddedTexts], [1, 6, 5, 8]);
  });
});

test("a request that hangs times out and is retried", async () => {
  await withServer(() => ({ status: 500 }), async (server) => {
    server.embeddingScript = (_, { index }): EmbeddingReply => (index === 0 ? { hang: true } : {});
    const embeddings = client(server, { batchSize: 8, timeoutMs: 200 });
    assert.deepEqual(await embeddings.embed(TEXTS.slice(0, 2)), expected(TEXTS.slice(0, 2)));
    assert.deepEqual(server.embeddingRequests.map((request) => request.outcome), ["hang", 200]);
  });
});

test("a refused request fails at once, naming the model and the status; queued batches are not sent after it", async () => {
  await withServer(() => ({ status: 500 }), async (server) => {
    server.embeddingScript = () => ({ status: 400, body: JSON.stringify({ error: { message: "input too long" } }) });
    const embeddings = client(server, { batchSize: 1, maxConcurrency: 1 });
    await assert.rejects(embeddings.embed(TEXTS), (error: unknown) => error instanceof ModelCallError && error.status === 400 && !error.retryable && /^model e: HTTP 400/.test(error.message));
    assert.equal(server.embeddingRequests.length, 1);
  });
});

test("cached vectors cost no call: a second client over the reopened cache makes 0 requests, and the key is in no file", async () => {
  const path = join(temporaryDirectory(), "embedding-cache.bin");
  await withServer(() => ({ status: 500 }), async (server) => {
    const cache = await EmbeddingCache.open(path);
    await client(server, { cache }).embed(TEXTS);
    await cache.close();
    const requests = server.embeddingRequests.length;
    const reopened = await EmbeddingCache.open(path);
    const again = client(server, { cache: reopened });
    assert.deepEqual(await again.embed([...TEXTS].reverse()), expected([...TEXTS].reverse()));
    await reopened.close();
    assert.equal(server.embeddingRequests.length, requests);
    assert.deepEqual([again.usage.calls, again.usage.requests, again.usage.cacheHits], [0, 0, 8]);
    assert.ok(!readFileSync(path).includes(KEY));
  });
});
