import { test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { refusedBaseURL, withServers, type ChatScript, type ChatTestServer } from "../test-support/chat-test-server.js";
import type { ChatRequest } from "./chat-model.js";
import { ModelCallError } from "./model-call-error.js";
import { modelsConfigSchema } from "./model-config.js";
import { openModelClients, type ModelClients } from "./open-model-clients.js";
import { redactedAddress } from "./replica-pool.js";

/** Distinct requests (a shared one would be answered once for all callers). */
const request = (index: number): ChatRequest => ({ messages: [{ role: "user", content: `Question ${index}` }], temperature: 0.6, topP: 0.95, maxTokens: 16 });

const ok: ChatScript = (body) => ({ content: `answer to ${body.messages[0]!.content}` });

/**
 * A client for model "m" over these replica URLs, through the config schema. The default
 * retryDelaySeconds of 60 backs a failed replica off for 15-30 s: longer than any test here, so
 * a replica that failed gets no more traffic and the counts below are exact.
 */
async function replicated(urls: string[], settings: Record<string, unknown> = {}): Promise<ModelClients> {
  const models = modelsConfigSchema.parse({ m: { baseURL: urls, model: "m-1", apiKeyEnv: "REPLICA_TEST_KEY", maxConcurrency: 2, maxRetries: 4, retryDelaySeconds: 60, ...settings } });
  return openModelClients(models, ["m"], { environment: { REPLICA_TEST_KEY: "sk-replica-7f3a" } });
}

async function sequentially(clients: ModelClients, count: number, first = 0): Promise<string[]> {
  const texts: string[] = [];
  for (let index = first; index < first + count; index++) texts.push((await clients.get("m").complete(request(index))).text);
  return texts;
}

const requestCounts = (servers: ChatTestServer[]) => servers.map((server) => server.requests.length);

test("one request at a time rotates over the replicas; replies, tokens and the key are the same whichever answered", async () => {
  await withServers([ok, ok, ok], async (servers) => {
    const clients = await replicated(servers.map((server) => server.baseURL));
    try {
      const texts = await sequentially(clients, 9);
      assert.deepEqual(texts, Array.from({ length: 9 }, (_, index) => `answer to Question ${index}`));
      assert.deepEqual(requestCounts(servers), [3, 3, 3]);
      assert.deepEqual(servers[1]!.requests.map((recorded) => recorded.body.messages[0]!.content), ["Question 1", "Question 4", "Question 7"]);
      assert.ok(servers.every((server) => server.requests.every((recorded) => recorded.authorization === "Bearer sk-replica-7f3a")), "every replica gets the model's key");
      const usage = clients.usage().m!;
      assert.deepEqual([usage.calls, usage.requests, usage.retries, usage.promptTokens, usage.completionTokens], [9, 9, 0, 90, 36]);
      assert.deepEqual(
        usage.replicas!.map(({ address, requests, failures, backoffs, promptTokens, completionTokens }) => [address, requests, failures, backoffs, promptTokens, completionTokens]),
        servers.map((server) => [server.baseURL, 3, 0, 0, 30, 12]),
      );
    } finally {
      await clients.close();
    }
  });
});

test("concurrent requests fill every replica up to maxConcurrency and no further", async () => {
  const slow: ChatScript = (body) => ({ content: `answer to ${body.messages[0]!.content}`, delayMs: 15 });
  await withServers([slow, slow, slow], async (servers) => {
    const clients = await replicated(servers.map((server) => server.baseURL));
    try {
      await Promise.all(Array.from({ length: 60 }, (_, index) => clients.get("m").complete(request(index))));
      // The first six requests are placed before any answer: two on each replica. After that,
      // a freed slot takes the next request, so how the rest splits depends on answer timing.
      assert.deepEqual(servers.map((server) => server.maxInFlight.get("m-1")), [2, 2, 2]);
      const counts = requestCounts(servers);
      assert.equal(counts.reduce((sum, count) => sum + count, 0), 60);
      assert.ok(counts.every((count) => count >= 2), `requests per replica: ${counts.join(", ")}`);
      assert.deepEqual(clients.usage().m!.replicas!.map((replica) => replica.requests), counts);
    } finally {
      await clients.close();
    }
  });
});

test("a replica that is down from the start: every request succeeds elsewhere and its failures are counted", async () => {
  const down = await refusedBaseURL();
  await withServers([ok, ok], async (servers) => {
    const clients = await replicated([down, ...servers.map((server) => server.baseURL)]);
    try {
      // Twelve at once: the first six are placed two per replica before any reply, so the dead
      // replica takes exactly two; the first refusal backs it off and both go elsewhere at once.
      const replies = await Promise.all(Array.from({ length: 12 }, (_, index) => clients.get("m").complete(request(index))));
      assert.deepEqual(replies.map((reply) => reply.text), Array.from({ length: 12 }, (_, index) => `answer to Question ${index}`));
      let usage = clients.usage().m!;
      assert.deepEqual([usage.calls, usage.retries, usage.failures], [12, 2, 0]);
      assert.deepEqual(usage.replicas!.map(({ requests, failures, backoffs }) => [requests, failures, backoffs])[0], [2, 2, 1]);
      assert.deepEqual(requestCounts(servers).reduce((sum, count) => sum + count, 0), 12);

      // Backed off, it gets nothing more while the others answer; they alternate.
      await sequentially(clients, 6, 100);
      usage = clients.usage().m!;
      assert.deepEqual(usage.replicas!.map(({ requests, failures }) => [requests, failures])[0], [2, 2]);
      assert.equal(usage.retries, 2);
    } finally {
      await clients.close();
    }
  });
});

test("a replica that dies mid-run: the request it held is retried on another at once, the rest avoid it", async () => {
  const servers: ChatTestServer[] = [];
  const diesOnSecondRequest: ChatScript = (body, { index }) => {
    if (index === 0) return ok(body, { index, model: body.model });
    void servers[1]!.close(); // the socket of this request is cut too
    return { hang: true };
  };
  await withServers([ok, diesOnSecondRequest, ok], async (started) => {
    servers.push(...started);
    const clients = await replicated(servers.map((server) => server.baseURL));
    try {
      const texts = await sequentially(clients, 12);
      assert.deepEqual(texts, Array.from({ length: 12 }, (_, index) => `answer to Question ${index}`));
      // 1,2,3,1 then 2 dies holding request 5, which goes to 3 (fewest sent); 1 and 3 then alternate.
      assert.deepEqual(requestCounts(servers), [6, 2, 5]);
      assert.deepEqual(servers[1]!.requests.map((recorded) => recorded.outcome), [200, "hang"]);
      const usage = clients.usage().m!;
      assert.deepEqual(usage.replicas!.map(({ requests, failures, backoffs }) => [requests, failures, backoffs]), [[6, 0, 0], [2, 1, 1], [5, 0, 0]]);
      assert.deepEqual([usage.calls, usage.retries, usage.failures], [12, 1, 0]);
    } finally {
      await clients.close();
    }
  });
});

test("a failing replica is probed when its backoff ends, one request at a time, and rejoins when it answers", async () => {
  let failuresLeft = 2;
  const recovers: ChatScript = (body, request) => (failuresLeft-- > 0 ? { status: 503 } : { ...ok(body, request), delayMs: 50 });
  await withServers([recovers, ok, ok], async (servers) => {
    // retryDelaySeconds 0.05: backoffs of 25-50 ms, then 50-100 ms; each pause below is longer.
    const clients = await replicated(servers.map((server) => server.baseURL), { retryDelaySeconds: 0.05, maxConcurrency: 4 });
    try {
      await sequentially(clients, 2, 0); // 503 on replica 1, so replica 2 answers; then replica 3
      await sleep(200);
      await sequentially(clients, 2, 2); // the probe: 503 again, so replica 2 answers; then replica 3
      await sleep(300);
      // Four at once: the first probes replica 1 (which now answers, slowly). While that probe is
      // out it takes nothing else, though it has sent the fewest: the other three go to 2, 3, 2.
      await Promise.all([4, 5, 6, 7].map((index) => clients.get("m").complete(request(index))));
      assert.deepEqual(servers[0]!.requests.map((recorded) => [recorded.body.messages[0]!.content, recorded.outcome]), [["Question 0", 503], ["Question 2", 503], ["Question 4", 200]]);
      assert.deepEqual(requestCounts(servers), [3, 4, 3]);
      // Answering again, it is back in rotation.
      await sequentially(clients, 2, 8);
      assert.deepEqual(requestCounts(servers), [4, 4, 4]);
      assert.deepEqual(clients.usage().m!.replicas!.map(({ failures, backoffs }) => [failures, backoffs]), [[2, 2], [0, 0], [0, 0]]);
    } finally {
      await clients.close();
    }
  });
});

test("a replica answering 429 is left alone for its Retry-After while the others answer", async () => {
  const limited: ChatScript = () => ({ status: 429, headers: { "retry-after": "30" } });
  await withServers([limited, ok], async (servers) => {
    // Without Retry-After, retryDelaySeconds 0.01 would have the replica probed again within 10 ms.
    const clients = await replicated(servers.map((server) => server.baseURL), { retryDelaySeconds: 0.01 });
    try {
      for (let index = 0; index < 4; index++) {
        await clients.get("m").complete(request(index));
        await sleep(50);
      }
      assert.deepEqual(requestCounts(servers), [1, 4]);
      assert.deepEqual(clients.usage().m!.retries, 1);
    } finally {
      await clients.close();
    }
  });
});

test("all replicas down: the call fails with an error naming each replica and its failure", async () => {
  const urls = [await refusedBaseURL(), await refusedBaseURL(), await refusedBaseURL()];
  const clients = await replicated(urls, { retryDelaySeconds: 0.01, maxRetries: 3 });
  try {
    const error = await clients.get("m").complete(request(0)).catch((caught: unknown) => caught);
    assert.ok(error instanceof ModelCallError);
    assert.equal(error.message, `model m: all 3 replicas failed: ${urls.map((url) => `${url} (connection failed (ECONNREFUSED))`).join("; ")}`);
    assert.deepEqual([error.failure, error.retryable], ["connection", true]);
    const usage = clients.usage().m!;
    // Replicas 2 and 3 are tried at once; with none answering, the retry waits, then goes to
    // the replica whose backoff ends first.
    assert.deepEqual(usage.replicas!.map(({ requests, failures }) => [requests, failures]), [[2, 2], [1, 1], [1, 1]]);
    assert.deepEqual([usage.requests, usage.retries, usage.failures, usage.calls], [4, 3, 1, 0]);
  } finally {
    await clients.close();
  }
});

test("a single baseURL keeps its plain error, and addresses in reports hide credentials", async () => {
  const url = await refusedBaseURL();
  const clients = await replicated([url], { retryDelaySeconds: 0.01, maxRetries: 1 });
  try {
    const error = await clients.get("m").complete(request(0)).catch((caught: unknown) => caught);
    assert.equal((error as Error).message, "model m: connection failed (ECONNREFUSED)");
    assert.equal(clients.usage().m!.replicas, undefined, "one replica adds no per-replica report");
  } finally {
    await clients.close();
  }
  assert.equal(redactedAddress("https://user:secret@llm.example.org/v1"), "https://***@llm.example.org/v1");
  assert.equal(redactedAddress("http://127.0.0.1:8000/v1"), "http://127.0.0.1:8000/v1");
});
