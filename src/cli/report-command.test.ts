import { after, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, temporaryDirectory } from "../test-support/fixtures.js";
import { launchChromium, openFile } from "../test-support/headless-chromium.js";
import { reportCommand } from "./report-command.js";

const directory = temporaryDirectory("litelong-report-cli-");
const chromium = await launchChromium();
after(() => chromium.context?.close());

const PAYLOAD = `<script>window.__xss=1</script><img src=x onerror="window.__xss=2">`;

/** A tiny corpus and topics file with script payloads in texts, ids and topics. */
function payloadInputs(): { corpus: string; topics: string } {
  const words = "river mountain ocean forest valley meadow glacier canyon".split(" ");
  const lines = Array.from({ length: 40 }, (_, i) => {
    const text = Array.from({ length: 90 }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(" ");
    return JSON.stringify({ id: i % 9 === 0 ? `doc-${i}${PAYLOAD}` : `doc-${i}`, text: `${text} ${PAYLOAD} ${text}` });
  });
  const corpus = join(directory, "corpus.jsonl");
  writeFileSync(corpus, lines.join("\n") + "\n");
  const topics = join(directory, "topics.jsonl");
  writeFileSync(topics, [JSON.stringify({ id: "t1", text: `river valley ${PAYLOAD}` }), JSON.stringify({ id: "t2", text: "ocean glacier" })].join("\n") + "\n");
  return { corpus, topics };
}

test("run writes report.html, a rerun leaves it, report --json and --out work, and payloads stay text", async (t) => {
  const { corpus, topics } = payloadInputs();
  const run = join(directory, "run");
  // --workers 0: tokenizing in-process is faster than starting threads for four tiny samples.
  const args = ["run", "--corpus", corpus, "--topics", topics, "--out", run, "--length", "256", "--samples-per-topic", "2", "--match", "any", "--workers", "0"];
  const first = runCli(args);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, /litelong: report: wrote .*report\.html \(\d+\.\d\d MB\)/);
  const page = readFileSync(join(run, "report.html"));

  const again = runCli(args);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, /litelong: report: .*report\.html is current/);
  assert.deepEqual(readFileSync(join(run, "report.html")), page);

  const out = join(directory, "elsewhere.html");
  assert.match(await reportCommand(run, { out }), /^wrote .*elsewhere\.html \(\d+\.\d\d MB\): 4 samples of 2 topics; embedded 2 in full, 2 as excerpts, 0 as ids only$/);
  assert.deepEqual(readFileSync(out), page, "same run, same bytes");
  await assert.rejects(reportCommand(run, { sampleText: "lots" }), /--sample-text: expected a whole number of characters/);
  await assert.rejects(reportCommand(join(directory, "nothing-here"), {}), /no manifest\.json; not a litelong run directory/);

  const json = runCli(["report", run, "--json"]);
  assert.equal(json.status, 0, json.stderr);
  const statistics = JSON.parse(json.stdout) as { summary: { samples: number; tokens: number; topicSource: string }; samples: { lengths: unknown }; sections: Array<{ section: string; topics: number }> };
  assert.deepEqual([statistics.summary.samples, statistics.summary.tokens, statistics.summary.topicSource], [4, 1024, "file"]);
  assert.deepEqual(statistics.samples.lengths, { labels: ["256"], counts: [4] });
  assert.deepEqual(statistics.sections.find((section) => section.section === "custom"), { section: "custom", subjects: 0, topics: 2, topicsWithHits: 2, topicsWithSamples: 2, samples: 4, tokens: 1024 });


  if (chromium.skip) return t.skip(`browser part skipped: ${chromium.skip}`);
  const { page: browserPage, problems, loadMilliseconds } = await openFile(chromium.context!, join(run, "report.html"));
  assert.deepEqual(problems, { consoleErrors: [], dialogs: [], requests: [] });
  assert.equal(await browserPage.evaluate("window.__xss ?? null"), null);
  assert.match((await browserPage.locator("#sample-view").textContent())!.slice(0, 5000), /<script>window\.__xss=1<\/script>/);
  t.diagnostic(`real run report: ${page.length} bytes, loaded in ${loadMilliseconds} ms`);
});
