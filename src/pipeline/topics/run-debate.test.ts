import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Subject } from "../../core/records.js";
import { modelsConfigSchema } from "../../llm/model-config.js";
import { openModelClients } from "../../llm/open-model-clients.js";
import { ResponseCache } from "../../llm/response-cache.js";
import { withServer, type ChatScript, type ChatTestServer } from "../../test-support/chat-test-server.js";
import { debateScript, requestHeading, requestStep } from "../../test-support/debate-script.js";
import { temporaryDirectory } from "../../test-support/fixtures.js";
import { debateOptionsSchema } from "./debate-options.js";
import { loadPromptTemplates } from "./prompt-templates.js";
import { runDebate, type DebateRunResult } from "./run-debate.js";

const SUBJECTS: Subject[] = Array.from({ length: 20 }, (_, index) => ({
  id: `CKB${String(index + 1).padStart(3, "0")}`,
  section: "Cooking",
  path: ["Cooking", `Dish ${index + 1}`],
  label: `Cooking / Dish ${index + 1}`,
}));

async function debate(server: ChatTestServer, input: Record<string, unknown>, options: { subjects?: Subject[]; cachePath?: string; models?: string[] } = {}): Promise<DebateRunResult> {
  const names = options.models ?? ["alpha", "beta", "gamma"];
  const models = modelsConfigSchema.parse(Object.fromEntries(names.map((name) => [name, { baseURL: server.baseURL, model: name, maxConcurrency: 4, retryDelaySeconds: 0.01, maxRetries: 3 }])));
  const cache = options.cachePath ? await ResponseCache.open(options.cachePath) : undefined;
  const clients = await openModelClients(models, names, { cache });
  try {
    const debateOptions = debateOptionsSchema.parse({ debaters: ["alpha", "beta"], judge: "gamma", topicsPerSubject: 2, ...input });
    return await runDebate(options.subjects ?? SUBJECTS, { options: debateOptions, templates: await loadPromptTemplates(), client: clients.get, maxTokens: () => 512 });
  } finally {
    await clients.close();
    await cache?.close();
  }
}


const kept = (result: DebateRunResult, subjectId: string) => result.topics.filter((topic) => topic.subjectId === subjectId && topic.verdict === "kept").map((topic) => `${topic.proposedBy}:${topic.text}`);

test("two debaters and a judge on 20 subjects: lists cross to the other critic, final = candidates - judge removals - duplicates", async () => {
  await withServer(debateScript(), async (server) => {
    const result = await debate(server, {});
    const steps = server.requests.map((request) => `${requestStep(request.body)}:${request.model}`);
    assert.equal(server.requests.length, 100);
    for (const step of ["propose:alpha", "propose:beta", "critique:alpha", "critique:beta", "judge:gamma"]) assert.equal(steps.filter((entry) => entry === step).length, 20, step);

    const forDish1 = server.requests.filter((request) => requestHeading(request.body) === "Dish 1");
    const critiqueByBeta = forDish1.find((request) => requestStep(request.body) === "critique" && request.model === "beta")!;
    assert.ok(critiqueByBeta.body.messages[1]!.content.includes("1. Dish 1 basics: alpha idea 1\n2. Dish 1 alpha 2: alpha idea 2\n3. Dish 1 alpha 3: alpha idea 3\n4. Common ground: alpha idea 4\n"));
    const critiqueByAlpha = forDish1.find((request) => requestStep(request.body) === "critique" && request.model === "alpha")!;
    assert.ok(critiqueByAlpha.body.messages[1]!.content.includes("2. Dish 1 beta 2: beta idea 2"));
    const judgeRequest = forDish1.find((request) => requestStep(request.body) === "judge")!;
    assert.ok(judgeRequest.body.messages[1]!.content.includes("7. Dish 1 beta 3: beta idea 3\n   proposed by beta; alpha says accept: alpha on 3\n8. Common ground: beta idea 4\n   proposed by beta; alpha says reject: alpha on 4"));
    assert.deepEqual([judgeRequest.body.temperature, judgeRequest.body.top_p, judgeRequest.body.max_tokens, judgeRequest.body.response_format?.json_schema?.name], [0.6, 0.95, 512, "topic_removals"]);

    assert.deepEqual(kept(result, "CKB001"), ["alpha:Dish 1 basics", "alpha:Dish 1 alpha 2", "alpha:Common ground", "beta:Dish 1 beta 2"]);
    assert.deepEqual(kept(result, "CKB002"), ["alpha:Dish 2 basics", "alpha:Dish 2 alpha 2", "beta:Dish 2 beta 2"]);
    assert.deepEqual(
      { candidates: result.counts.candidates, topics: result.counts.topics, removedByJudge: result.counts.removedByJudge, duplicates: result.counts.duplicates, failed: result.counts.failedSubjects },
      { candidates: 160, topics: 61, removedByJudge: 40, duplicates: 59, failed: 0 },
    );
    assert.deepEqual(
      ["proposals", "acceptances", "rejections", "removals", "kept"].map((name) => [result.counts[`${name}.alpha`], result.counts[`${name}.beta`]]),
      [[80, 80], [40, 40], [40, 40], [20, 20], [41, 20]],
    );

    const removed = result.topics.find((topic) => topic.id === "CKB001.beta.3")!;
    assert.deepEqual(removed, {
      id: "CKB001.beta.3",
      subjectId: "CKB001",
      text: "Dish 1 beta 3",
      explanation: "beta idea 3",
      proposedBy: "beta",
      critiques: [{ critic: "alpha", action: "accept", reason: "alpha on 3" }],
      verdict: "removed",
      reasons: ["judge: too close to others"],
    });
    assert.deepEqual(result.topics.find((topic) => topic.id === "CKB002.alpha.4")!.reasons, ["duplicate of CKB001.alpha.4"]);
    assert.deepEqual(result.logs[0], {
      subjectId: "CKB001",
      status: "done",
      judgeSummary: "gamma removed 2",
      unmatchedRemovals: [],
      calls: [
        { model: "alpha", step: "propose", reasks: 0, fromCache: false },
        { model: "beta", step: "propose", reasks: 0, fromCache: false },
        { model: "beta", step: "critique", of: "alpha", reasks: 0, fromCache: false },
        { model: "alpha", step: "critique", of: "beta", reasks: 0, fromCache: false },
        { model: "gamma", step: "judge", reasks: 0, fromCache: false },
      ],
    });
  });
});

test("every retention strategy", async () => {
  await withServer(debateScript(), async (server) => {
    const keepAccept = await debate(server, { retention: "keep-accept" });
    assert.equal(server.requests.length, 80, "no judge calls");
    assert.deepEqual(kept(keepAccept, "CKB004"), ["alpha:Dish 4 basics", "alpha:Dish 4 alpha 3", "beta:Dish 4 beta 3"]);
    assert.equal(keepAccept.counts.topics, 60);
    assert.deepEqual(keepAccept.topics.find((topic) => topic.id === "CKB004.alpha.2")!.reasons, ["beta: beta on 2"]);

    const fixed = await debate(server, { retention: "keep-fixed-k" });
    assert.deepEqual(kept(fixed, "CKB004"), ["alpha:Dish 4 basics", "alpha:Dish 4 alpha 3"]);
    assert.equal(fixed.counts.topics, 40);

    const before = server.requests.length;
    const single = await debate(server, { retention: "single", debaters: ["alpha"], judge: undefined }, { models: ["alpha"] });
    assert.equal(server.requests.length - before, 20, "one proposal per subject");
    assert.deepEqual(kept(single, "CKB004"), ["alpha:Dish 4 basics", "alpha:Dish 4 alpha 2"]);
    assert.ok(single.topics.every((topic) => topic.critiques.length === 0 && topic.verdict === "kept"));
  });
});

test("three debaters: every list is critiqued by both others", async () => {
  await withServer(debateScript(), async (server) => {
    const result = await debate(server, { debaters: ["alpha", "beta", "delta"] }, { subjects: SUBJECTS.slice(0, 2), models: ["alpha", "beta", "gamma", "delta"] });
    const critiques = server.requests.filter((request) => requestStep(request.body) === "critique" && requestHeading(request.body) === "Dish 1");
    const pairs = critiques.map((request) => `${/\d+\. Dish 1 (?:basics: )?(\w+)/.exec(request.body.messages[1]!.content.split("suggested these subtopics of the heading:\n")[1]!)?.[1]}->${request.model}`);
    assert.deepEqual(pairs.sort(), ["alpha->beta", "alpha->delta", "beta->alpha", "beta->delta", "delta->alpha", "delta->beta"]);
    assert.equal(server.requests.length, 2 * (3 + 6 + 1));
    assert.deepEqual(result.topics.find((topic) => topic.id === "CKB001.delta.2")!.critiques.map((critique) => critique.critic), ["alpha", "beta"]);
  });
});

test("an unreadable reply is asked again with what was wrong; a subject whose model keeps failing is recorded, not fatal", async () => {
  const base = debateScript({ malformed: (heading, model, step) => heading === "Dish 2" && model === "alpha" && step === "propose" });
  const script: ChatScript = (body, request) => (requestHeading(body) === "Dish 5" && body.model === "gamma" ? { status: 400, body: '{"error":{"message":"context too long"}}' } : base(body, request));
  await withServer(script, async (server) => {
    const result = await debate(server, {}, { subjects: SUBJECTS.slice(0, 6) });
    const reask = server.requests.find((request) => requestHeading(request.body) === "Dish 2" && request.body.messages.length === 4)!;
    assert.deepEqual(reask.body.messages.slice(2), [
      { role: "assistant", content: "Sure! Here are my thoughts on the matter, in prose." },
      { role: "user", content: 'That answer could not be used: no JSON value was found in the reply\nPlease answer again with the JSON object only, in this shape:\n{"topics": [{"topic": "...", "explanation": "..."}]}' },
    ]);
    assert.equal(result.counts.reasks, 1);
    assert.deepEqual(kept(result, "CKB002"), ["alpha:Dish 2 basics", "alpha:Dish 2 alpha 2", "beta:Dish 2 beta 2"]);
    assert.equal(result.counts.failedSubjects, 1);
    assert.deepEqual(result.logs[4], { subjectId: "CKB005", status: "failed", error: "model gamma: HTTP 400: 400 context too long", calls: [] });
    assert.equal(result.topics.filter((topic) => topic.subjectId === "CKB005").length, 0);
  });
});

test("a rerun with the cache makes zero calls and gives the same topics", async () => {
  const cachePath = join(temporaryDirectory(), "llm-cache.jsonl");
  await withServer(debateScript(), async (server) => {
    const first = await debate(server, {}, { cachePath });
    assert.equal(server.requests.length, 100);
    const second = await debate(server, {}, { cachePath });
    assert.equal(server.requests.length, 100, "no new calls");
    assert.deepEqual(second.topics, first.topics);
    assert.ok(second.logs.every((log) => log.calls.every((call) => call.fromCache)));
  });
});
