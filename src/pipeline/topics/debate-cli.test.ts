import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { responseCacheKey } from "../../llm/response-cache.js";
import { ChatTestServer, type ChatRequestBody, type ChatScript, type RecordedRequest } from "../../test-support/chat-test-server.js";
import { debateScript, withTransientFaults } from "../../test-support/debate-script.js";
import { temporaryDirectory } from "../../test-support/fixtures.js";
import { spawnCli } from "../../test-support/spawn-cli.js";

const SECRET = "sk-planted-4f1c9e0b7d2a";
const directory = temporaryDirectory();
const taxonomy = join(directory, "cooking.csv");
writeFileSync(taxonomy, ["code,label", ...Array.from({ length: 20 }, (_, i) => `CKB${String(i + 1).padStart(3, "0")},Cooking / Dish ${i + 1}`)].join("\n") + "\n");

function writeConfig(baseURL: string): string {
  const model = (name: string) => `  ${name}: { baseURL: ${baseURL}, model: ${name}, apiKeyEnv: LITELONG_TEST_KEY, maxConcurrency: 4, timeoutSeconds: 1.5, retryDelaySeconds: 0.01, maxRetries: 8 }`;
  const path = join(directory, "debate.yaml");
  writeFileSync(path, ["models:", model("alpha"), model("beta"), model("gamma"), "debate:", "  debaters: [alpha, beta]", "  judge: gamma", "  topicsPerSubject: 2", ""].join("\n"));
  return path;
}

const topicsArgs = (config: string, out: string) => ["topics", "--config", config, "--out", out, "--taxonomy", taxonomy];
const env = { LITELONG_TEST_KEY: SECRET };

/** The cache key the client computed for a request the server received. */
function keyOf(request: RecordedRequest): string {
  const body: ChatRequestBody = request.body;
  const format = body.response_format?.json_schema;
  return responseCacheKey(`openai-compatible:${body.model}`, {
    messages: body.messages as never,
    temperature: body.temperature!,
    topP: body.top_p!,
    maxTokens: body.max_tokens,
    jsonSchema: format ? { name: format.name, schema: format.schema as Record<string, unknown> } : undefined,
  });
}

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => (statSync(join(root, name)).isDirectory() ? filesUnder(join(root, name)) : [join(root, name)]));
}

test("with a quarter of calls failing and malformed replies, the run completes; kill -9 and a rerun give the same topics with no repeated call", async (t) => {
  const malformed = (heading: string, model: string, step: string) => (heading === "Dish 3" && model === "alpha" && step === "propose") || (heading === "Dish 7" && step === "judge");
  const script = withTransientFaults(debateScript({ malformed }), { hangs: true });
  const server = await ChatTestServer.start(script);
  try {
    const config = writeConfig(server.baseURL);
    const reference = join(directory, "reference");
    const whole = await spawnCli(topicsArgs(config, reference), env).done;
    assert.equal(whole.status, 0, whole.stderr);
    const outcomes = server.requests.map((request) => request.outcome);
    const failures = outcomes.filter((outcome) => outcome !== 200).length;
    const answeredKeys = new Set(server.answered().map(keyOf));
    assert.equal(answeredKeys.size, 102, "100 debate calls and 2 re-asks answered");
    // A reply that arrives after the client gave up (a busy machine) is asked again: count it.
    const lateAnswers = server.answered().length - answeredKeys.size;
    assert.equal(failures, Math.floor(outcomes.length / 4), "every 4th request failed");
    const manifest = JSON.parse(readFileSync(join(reference, "manifest.json"), "utf8")) as { stages: { topics: { counts: Record<string, number>; facts: Record<string, string> } } };
    const { counts, facts } = manifest.stages.topics;
    assert.equal(facts.topicSource, "debate");
    assert.deepEqual([counts.subjects, counts.failedSubjects, counts.topics, counts.reasks, counts["llm.alpha.calls"]! + counts["llm.beta.calls"]! + counts["llm.gamma.calls"]!, counts.cachedReplies], [20, 0, 61, 2, 102, 102]);
    assert.equal(counts["llm.alpha.retries"]! + counts["llm.beta.retries"]! + counts["llm.gamma.retries"]!, failures + lateAnswers);

    // Crash: kill -9 the CLI once 40 replies are in its cache file, then run it again.
    const crashed = join(directory, "crashed");
    const cacheFile = join(crashed, "topics", "llm-cache.jsonl");
    const before = server.requests.length;
    const victim = spawnCli(topicsArgs(config, crashed), env);
    const watcher = setInterval(() => {
      if (existsSync(cacheFile) && readFileSync(cacheFile, "utf8").split("\n").length > 40) victim.child.kill("SIGKILL");
    }, 2);
    const killed = await victim.done;
    clearInterval(watcher);
    assert.equal(killed.signal, "SIGKILL");
    const cachedAtCrash = new Set(readFileSync(join(crashed, "topics", "llm-cache.jsonl"), "utf8").trim().split("\n").map((line) => (JSON.parse(line) as { key: string }).key));
    assert.ok(cachedAtCrash.size >= 40 && cachedAtCrash.size < 102, `${cachedAtCrash.size} replies were durable at the crash`);
    const resumeStart = server.requests.length;
    const resumed = await spawnCli(topicsArgs(config, crashed), env).done;
    assert.equal(resumed.status, 0, resumed.stderr);
    const resumedAnswers = server.requests.slice(resumeStart).filter((request) => request.outcome === 200);
    assert.equal(resumedAnswers.filter((request) => cachedAtCrash.has(keyOf(request))).length, 0, "no call answered before the crash is made again");
    assert.equal(new Set(resumedAnswers.map(keyOf)).size, 102 - cachedAtCrash.size);
    assert.deepEqual(readFileSync(join(crashed, "topics", "topics.jsonl")), readFileSync(join(reference, "topics", "topics.jsonl")), "same topics as the uninterrupted run");
    t.diagnostic(`reference run: ${outcomes.length} requests, ${failures} failed transiently (${((100 * failures) / outcomes.length).toFixed(1)}%), 2 re-asks; kill -9 after ${cachedAtCrash.size} cached replies; the rerun made ${resumedAnswers.length} calls, none already answered`);

    const again = await spawnCli(topicsArgs(config, crashed), env).done;
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /^topics\s+skipped \(complete\)/m);
    const afterRerun = server.requests.length;
    const thrice = await spawnCli(topicsArgs(config, crashed), env).done;
    assert.equal(thrice.status, 0);
    assert.equal(server.requests.length, afterRerun, "a rerun makes zero calls");

    assert.ok(server.requests.slice(before).every((request) => request.authorization === `Bearer ${SECRET}`), "the key from the environment is sent");
    const leaks = [...filesUnder(reference), ...filesUnder(crashed), config].filter((file) => readFileSync(file, "utf8").includes(SECRET));
    assert.deepEqual(leaks, [], "the API key is written nowhere");
    for (const output of [whole, killed, resumed, again]) assert.ok(!output.stdout.includes(SECRET) && !output.stderr.includes(SECRET));
  } finally {
    await server.close();
  }
});

test("debate configuration problems are reported at once; an API key in the config file is refused", async () => {
  const config = join(directory, "bad.yaml");
  writeFileSync(config, "models:\n  alpha: { baseURL: http://127.0.0.1:1/v1, model: a, apiKey: sk-oops }\ndebate:\n  debaters: [alpha]\n  retention: keep-best\n");
  const rejected = await spawnCli(topicsArgs(config, join(directory, "bad")), {}).done;
  assert.equal(rejected.status, 2);
  assert.match(rejected.stderr, /secrets never go in config files/);
  assert.match(rejected.stderr, /debate\.retention/);
  assert.ok(!rejected.stderr.includes("sk-oops"));

  writeFileSync(config, "models:\n  alpha: { baseURL: http://127.0.0.1:1/v1, model: a }\ndebate:\n  debaters: [alpha, zeta]\n");
  const unknown = await spawnCli(topicsArgs(config, join(directory, "bad2")), {}).done;
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /model "zeta" is not configured under models/);
  assert.match(unknown.stderr, /filter-reject needs a judge model/);
});

test("a failed subject is retried by the next run; changing retention reuses every cached call; operational settings change nothing", async () => {
  let judgeFails = true;
  const script = debateScript();
  const server = await ChatTestServer.start((body, request) => (judgeFails && body.model === "gamma" && body.messages[1]!.content.includes("Heading within it: Dish 4\n") ? { status: 400 } : script(body, request)));
  try {
    const config = writeConfig(server.baseURL);
    const out = join(directory, "retry");
    const first = await spawnCli(topicsArgs(config, out), env).done;
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stderr, /1 of 20 subjects failed .*debate\.jsonl.*the next run retries them/);
    const stage = () => (JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { stages: { topics: { counts: Record<string, number>; fingerprint: string } } }).stages.topics;
    assert.deepEqual([stage().counts.failedSubjects, stage().counts.topics], [1, 58]);
    const failedLog = readFileSync(join(out, "topics", "debate.jsonl"), "utf8").split("\n")[3]!;
    assert.deepEqual(JSON.parse(failedLog), { subjectId: "CKB004", status: "failed", error: "model gamma: HTTP 400: 400 scripted 400", calls: [] });

    judgeFails = false;
    const before = server.requests.length;
    const retried = await spawnCli(topicsArgs(config, out), env).done;
    assert.equal(retried.status, 0, retried.stderr);
    assert.deepEqual(server.requests.slice(before).map((request) => `${request.model}:${request.outcome}`), ["gamma:200"], "only the failed judge call is made again");
    assert.deepEqual([stage().counts.failedSubjects, stage().counts.topics], [0, 61]);

    const fingerprint = stage().fingerprint;
    writeFileSync(config, readFileSync(config, "utf8").replace(/maxConcurrency: 4, timeoutSeconds: 1.5/g, "maxConcurrency: 2, timeoutSeconds: 9").replace(/127\.0\.0\.1/g, "localhost"));
    const moved = await spawnCli(topicsArgs(config, out), env).done;
    assert.match(moved.stdout, /^topics\s+skipped \(complete\)/m, "limits, timeouts and addresses are not part of the fingerprint");
    assert.equal(stage().fingerprint, fingerprint);

    writeFileSync(config, readFileSync(config, "utf8").replace("  topicsPerSubject: 2", "  topicsPerSubject: 2\n  retention: keep-accept"));
    const calls = server.requests.length;
    const ablation = await spawnCli(topicsArgs(config, out), env).done;
    assert.equal(ablation.status, 0, ablation.stderr);
    assert.match(ablation.stdout, /^topics\s+ran/m);
    assert.equal(server.requests.length, calls, "proposals and critiques come from the cache");
    assert.deepEqual([stage().counts.topics, stage().counts["llm.alpha.cacheHits"], stage().counts["llm.alpha.calls"]], [60, 40, 0]);
  } finally {
    await server.close();
  }
});

test("three replicas per model, one dying mid-run: the same topics byte for byte as one server; usage per replica in the manifest and the summary", async (t) => {
  const single = await ChatTestServer.start(debateScript());
  const replicas: ChatTestServer[] = [];
  const script = debateScript();
  let dead = false;
  // The second replica goes down for good at its 15th request (in-flight requests are cut).
  const dies: ChatScript = (body, request) => {
    if (request.index < 14) return script(body, request);
    if (!dead) void replicas[1]!.close();
    dead = true;
    return { hang: true };
  };
  replicas.push(await ChatTestServer.start(script), await ChatTestServer.start(dies), await ChatTestServer.start(script));
  try {
    const reference = join(directory, "one-server");
    const alone = await spawnCli(topicsArgs(writeConfig(single.baseURL), reference), env).done;
    assert.equal(alone.status, 0, alone.stderr);

    const urls = replicas.map((server) => server.baseURL);
    const out = join(directory, "three-replicas");
    const spread = await spawnCli(topicsArgs(writeConfig(`[${urls.join(", ")}]`), out), env).done;
    assert.equal(spread.status, 0, spread.stderr);
    for (const file of ["topics.jsonl", "debate.jsonl"]) assert.deepEqual(readFileSync(join(out, "topics", file)), readFileSync(join(reference, "topics", file)), file);

    const { counts, facts } = (JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { stages: { topics: { counts: Record<string, number>; facts: Record<string, string> } } }).stages.topics;
    const failures = (model: string) => [1, 2, 3].map((n) => counts[`llm.${model}.replica${n}.failures`]);
    for (const model of ["alpha", "beta", "gamma"]) {
      for (const [index, server] of replicas.entries()) {
        assert.equal(facts[`llm.${model}.replica${index + 1}`], urls[index]);
        const received = server.requests.filter((request) => request.model === model);
        // Attempts at the dead replica after it closed were refused: counted, never received.
        const cut = received.filter((request) => request.outcome === "hang").length;
        const refused = index === 1 ? counts[`llm.${model}.replica2.failures`]! - cut : 0;
        assert.equal(counts[`llm.${model}.replica${index + 1}.requests`], received.length + refused, `${model} replica ${index + 1}`);
      }
      assert.equal([1, 2, 3].reduce((sum, n) => sum + counts[`llm.${model}.replica${n}.requests`]!, 0), counts[`llm.${model}.requests`]);
      assert.deepEqual([failures(model)[0], failures(model)[2]], [0, 0], `${model}: the live replicas never failed`);
    }
    const hung = replicas[1]!.requests.filter((request) => request.outcome === "hang").length;
    assert.ok(hung >= 1 && failures("alpha")[1]! + failures("beta")[1]! + failures("gamma")[1]! >= hung, "each request cut by the death is a counted failure");
    assert.equal(counts["llm.alpha.calls"]! + counts["llm.beta.calls"]! + counts["llm.gamma.calls"]!, 100);

    const rows = spread.stdout.split("\n").filter((line) => /^(alpha|beta|gamma)\s+http/.test(line));
    assert.deepEqual(rows.map((row) => row.split(/\s+/).slice(0, 3)), ["alpha", "beta", "gamma"].flatMap((model) => urls.map((url, index) => [model, url, String(counts[`llm.${model}.replica${index + 1}.requests`])])));
    t.diagnostic(`3 replicas, the second dying at its 15th request; requests cut: ${hung}`);
    for (const line of spread.stdout.split("\n").filter((line) => /^(model|alpha|beta|gamma)\s/.test(line))) t.diagnostic(line);
    assert.match(spread.stdout, /^model\s+replica\s+requests\s+failures\s+backoffs\s+prompt tokens\s+completion tokens\s+mean latency$/m);
    assert.ok(!alone.stdout.includes("replica"), "a single server adds no replica table");
    assert.ok(replicas.every((server) => server.requests.every((request) => request.authorization === `Bearer ${SECRET}`)));
    assert.deepEqual([...filesUnder(out)].filter((file) => readFileSync(file, "utf8").includes(SECRET)), []);
  } finally {
    await Promise.all([single, ...replicas].map((server) => server.close()));
  }
});
