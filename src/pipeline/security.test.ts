import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { withServer } from "../test-support/chat-test-server.js";
import { debateScript } from "../test-support/debate-script.js";
import { temporaryDirectory } from "../test-support/fixtures.js";
import { spawnCli } from "../test-support/spawn-cli.js";

/**
 * Issue 6, security: a whole run with LLM-debated topics and a planted API key writes the key
 * nowhere (every file of the run directory, stdout, stderr); corpus text full of HTML and
 * terminal escape sequences is shown escaped in the report and on the terminal.
 */

const SECRET = "sk-planted-7d41e2c09b";
const HTML_PAYLOAD = '<script>window.__pwned=1</script><img src=x onerror="alert(1)">';
const TERMINAL_PAYLOAD = "\u001b[2J\u001b]0;pwned\u0007\u009b31m";

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

test("a debated run with a planted API key: the key is in no produced file or output; hostile corpus text is escaped", { timeout: 180_000 }, async () => {
  const directory = temporaryDirectory("litelong-security-");
  const taxonomy = join(directory, "cooking.csv");
  writeFileSync(taxonomy, ["code,label", ...Array.from({ length: 4 }, (_, i) => `CKB00${i + 1},Cooking / Dish ${i + 1}`)].join("\n") + "\n");
  const corpus = join(directory, "corpus.jsonl");
  const documents = Array.from({ length: 40 }, (_, i) => ({
    id: `doc-${i}`,
    text: `Dish ${(i % 4) + 1} basics: simmer the stock, season well. ${HTML_PAYLOAD} ${TERMINAL_PAYLOAD} step ${i}.`,
  }));
  // A malformed line whose JSON error message quotes the corpus text, escape codes and all.
  writeFileSync(corpus, documents.map((document) => JSON.stringify(document)).join("\n") + `\nbad \u001b[31mline\n`);

  await withServer(debateScript(), async (server) => {
    const config = join(directory, "debate.yaml");
    const model = (name: string) => `  ${name}: { baseURL: ${server.baseURL}, model: ${name}, apiKeyEnv: LITELONG_TEST_KEY }`;
    writeFileSync(config, ["models:", model("alpha"), model("beta"), model("gamma"), "debate:", "  debaters: [alpha, beta]", "  judge: gamma", "  topicsPerSubject: 2", ""].join("\n"));
    const out = join(directory, "run");
    const env = { LITELONG_TEST_KEY: SECRET };
    const run = await spawnCli(["run", "--config", config, "--corpus", corpus, "--out", out, "--taxonomy", taxonomy, "--match", "any", "--length", "256", "--samples-per-topic", "1", "--workers", "0", "--near-duplicates", "1"], env).done;
    assert.equal(run.status, 0, run.stderr);
    assert.ok(server.requests.length >= 20, "the topics came from the debate");
    assert.ok(server.requests.every((request) => request.authorization === `Bearer ${SECRET}`), "the key was sent, so it was loaded");

    const sampleId = (JSON.parse(readFileSync(join(out, "samples", "jsonl", "part-00000.jsonl"), "utf8").split("\n")[0]!) as { id: string }).id;
    const inspect = await spawnCli(["inspect", out, "--sample", sampleId], env).done;
    assert.equal(inspect.status, 0, inspect.stderr);

    const produced = filesUnder(out);
    assert.ok(produced.some((path) => path.endsWith("report.html")) && produced.some((path) => path.includes("cache")), produced.join("\n"));
    const leaks = produced.filter((path) => readFileSync(path).includes(SECRET));
    assert.deepEqual(leaks, [], "files holding the key");
    for (const [name, text] of Object.entries({ runStdout: run.stdout, runStderr: run.stderr, inspectStdout: inspect.stdout, inspectStderr: inspect.stderr })) {
      assert.ok(!text.includes(SECRET), `${name} holds the key`);
      assert.ok(!["\u001b", "\u0007", "\u009b"].some((control) => text.includes(control)), `${name} carries raw control characters`);
    }
    assert.match(run.stderr, /^litelong: skipped bad record: .*corpus\.jsonl:41: malformed JSON \(Unexpected token 'b', "bad \\u001b\[31mline" is not valid JSON\)/m);
    assert.ok(inspect.stdout.includes("\\u001b[2J\\u001b]0;pwned\\u0007\\u009b31m"), "inspect shows the escape codes as text");

    const report = readFileSync(join(out, "report.html"), "utf8");
    assert.ok(!report.includes(HTML_PAYLOAD) && !report.includes("<script>window.__pwned"), "the payload is never markup in the report");
    // Sample text travels as JSON data with < and > escaped; the page shows it through textContent (report-browser tests).
    assert.ok(report.includes("\\u003cscript\\u003ewindow.__pwned=1\\u003c/script\\u003e\\u003cimg src=x onerror=\\\"alert(1)\\\"\\u003e"), "the payload is embedded as escaped data");
    assert.ok(!report.includes("\u001b"), "no raw escape character in the report");
  });
});
