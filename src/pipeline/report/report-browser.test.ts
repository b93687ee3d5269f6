import { after, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { temporaryDirectory } from "../../test-support/fixtures.js";
import { launchChromium, openFile } from "../../test-support/headless-chromium.js";
import { debateRun, writeSyntheticRun } from "../../test-support/synthetic-run.js";
import { writeRunReport } from "./write-run-report.js";

/** Each tries to set window.__xss or open a dialog if it ever became markup or script. */
export const XSS_PAYLOAD = [
  `<script>window.__xss="script";alert(1)</script>`,
  `<img src=x onerror="window.__xss='img';alert(2)">`,
  `</script><script>window.__xss="close";alert(3)</script>`,
  `"><svg onload="window.__xss='svg'">`,
  `'onmouseover='window.__xss=5' <!-- <iframe src=javascript:alert(4)>`,
].join(" ");

const directory = temporaryDirectory("litelong-report-browser-");
const chromium = await launchChromium();
if (chromium.skip) console.log(`# report browser tests skipped: ${chromium.skip}`);
after(() => chromium.context?.close());

/**
 * Per chart: points handed to uPlot and coloured pixels on its canvas (bars and lines are
 * coloured; axes and grid are grey). Page code is a string: the project compiles without DOM types.
 */
const CHART_EVIDENCE = `[...document.querySelectorAll("[data-chart]")].map((element) => {
  const canvas = element.querySelector("canvas");
  let coloured = 0;
  if (canvas) {
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 0; i < pixels.length; i += 4) {
      if (pixels[i + 3] > 0 && Math.max(pixels[i], pixels[i + 1], pixels[i + 2]) - Math.min(pixels[i], pixels[i + 1], pixels[i + 2]) > 60) coloured++;
    }
  }
  return { chart: element.getAttribute("data-chart"), points: Number(element.getAttribute("data-points") || 0), coloured };
})`;

/** What planted payloads could have done: set window.__xss, add scripts, handlers or elements. */
const XSS_EVIDENCE = `({
  xss: window.__xss ?? null,
  scripts: document.scripts.length,
  handlers: [...document.querySelectorAll("*")].flatMap((element) => [...element.attributes].filter((attribute) => attribute.name.startsWith("on")).map((attribute) => attribute.name)),
  planted: document.querySelectorAll("img, svg, iframe").length,
  shownAsText: document.body.innerText.split('<script>window.__xss="script";alert(1)</script>').length - 1,
})`;

test("the report loads without errors, every chart has data, and the sample browser opens samples", { skip: chromium.skip }, async (t) => {
  const root = writeSyntheticRun(join(directory, "debate"), debateRun());
  const { path } = await writeRunReport(root);
  const { page, problems, loadMilliseconds } = await openFile(chromium.context!, path);
  assert.deepEqual(problems, { consoleErrors: [], dialogs: [], requests: [] });

  const charts = await page.evaluate<Array<{ chart: string; points: number; coloured: number }>>(CHART_EVIDENCE);
  assert.deepEqual(
    charts.map((chart) => chart.chart),
    ["stageSeconds", "sections", "topicWords", "debateFlow", "hitsPerTopic", "hitsRanked", "scores", "sampleLengths", "documentsPerSample", "tokenMix", "retrievedReuse", "packedReuse"],
  );
  for (const chart of charts) assert.ok(chart.points > 0 && chart.coloured > 50, `${chart.chart} has data: ${JSON.stringify(chart)}`);

  // The first topic's first sample opens by itself, with one block per document.
  assert.equal(await page.getAttribute("#sample-view", "data-sample-id"), "t1-s0");
  assert.deepEqual(await page.locator("#sample-view .doc-id").allTextContents(), ["d1", "d2"]);
  assert.match((await page.locator("#sample-view .doc-text").first().textContent())!, /^Document 1 text about generators\.\nSecond line/);
  await page.selectOption("#sample-select", "1");
  assert.equal(await page.getAttribute("#sample-view", "data-sample-id"), "t1-s1");
  assert.equal(await page.locator("#sample-view .badge").textContent(), "continues from the previous sample");
  await page.fill("#topic-filter", "sockets");
  assert.equal(await page.getAttribute("#sample-view", "data-sample-id"), "t2-s0");
  assert.deepEqual(await page.locator("#sample-view .doc-id").allTextContents(), ["d3", "d4"]);
  assert.equal(await page.locator("#debate td").first().textContent(), "model-a");

  const screenshots = [join(directory, "report.png"), join(directory, "sample-browser.png")];
  await page.locator("#browser").screenshot({ path: screenshots[1] });
  await page.evaluate("window.scrollTo(0, 0)");
  await page.screenshot({ path: screenshots[0], fullPage: true });
  t.diagnostic(`loaded in ${loadMilliseconds} ms; screenshots: ${screenshots.join(" ")}`);
  assert.deepEqual(problems, { consoleErrors: [], dialogs: [], requests: [] });
});

test("script and event-handler payloads in documents, ids, topics and labels never run", { skip: chromium.skip }, async (t) => {
  const root = writeSyntheticRun(join(directory, "xss"), debateRun(XSS_PAYLOAD), "jsonl");
  const { path } = await writeRunReport(root);
  // Without the Content-Security-Policy too, so the escaping itself is what is tested.
  const withoutPolicy = join(directory, "xss-without-csp.html");
  writeFileSync(withoutPolicy, readFileSync(path, "utf8").replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ""));
  for (const file of [path, withoutPolicy]) {
    const { page, problems } = await openFile(chromium.context!, file);
    for (const index of ["0", "1"]) {
      await page.selectOption("#topic-select", index);
      await page.hover("#sample-view");
    }
    await page.hover("#underfilled");
    const evidence = await page.evaluate<{ xss: string | null; scripts: number; handlers: string[]; planted: number; shownAsText: number }>(XSS_EVIDENCE);
    assert.deepEqual({ ...evidence, shownAsText: evidence.shownAsText > 5 }, { xss: null, scripts: 3, handlers: [], planted: 0, shownAsText: true }, file);
    assert.deepEqual(problems, { consoleErrors: [], dialogs: [], requests: [] }, file);
    t.diagnostic(`${file}: payload shown as text ${evidence.shownAsText} times, never run`);
    await page.close();
  }
});
