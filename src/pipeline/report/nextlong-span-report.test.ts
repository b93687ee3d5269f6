import { test } from "node:test";
import assert from "node:assert/strict";
import { collectSampleStatistics } from "./collect-sample-statistics.js";
import { nextLongPart } from "./optional-parts.js";
import { nextLongSection, SPAN_ROWS_SHOWN } from "./output-sections.js";
import type { ReportSample } from "./read-run-samples.js";
import type { RunReport } from "./run-report.js";

const sample = (id: string, spans: ReportSample["spans"], text = "positive one\n\nnegative\n\npositive two\n\n"): ReportSample => ({
  id, topicId: "t<1>", subjectId: "s", docIds: ["a", "x", "a"], docOffsets: [0, 14, 24], tokenCount: 12, text, spans,
});

async function* from(samples: ReportSample[]): AsyncGenerator<ReportSample> {
  yield* samples;
}

test("span counts per NExtLong sample and in total; the browser marks negative stretches of full text", async () => {
  const spans: ReportSample["spans"] = [{ kind: "positive", tokens: [0, 4] }, { kind: "negative", tokens: [4, 7] }, { kind: "positive", tokens: [7, 12] }];
  const statistics = await collectSampleStatistics(from([sample("t<1>-s0", spans), sample("t<1>-s1", [{ kind: "negative", tokens: [0, 12] }])]));
  assert.deepEqual(statistics.spanCounts, [
    { sampleId: "t<1>-s0", topicId: "t<1>", positives: 2, negatives: 1, positiveTokens: 9, negativeTokens: 3 },
    { sampleId: "t<1>-s1", topicId: "t<1>", positives: 0, negatives: 1, positiveTokens: 0, negativeTokens: 12 },
  ]);
  assert.deepEqual(statistics.browsable.get("t<1>")![0]!.negativeSpans, [[14, 24]]);
  const part = nextLongPart([], statistics.spanCounts);
  assert.ok(part.present);
  assert.deepEqual(part.totals, { samples: 2, positives: 2, negatives: 2, positiveTokens: 9, negativeTokens: 15 });
});

test("the NExtLong section lists each sample's spans escaped, with the negative token share, and says when rows are capped", () => {
  const rows = Array.from({ length: SPAN_ROWS_SHOWN + 1 }, (_, i) => ({ sampleId: `<b>s${i}</b>`, topicId: "t&1", positives: 3, negatives: 1, positiveTokens: 300, negativeTokens: 100 }));
  const part = nextLongPart([{ name: "pack", seconds: 0, finishedAt: "", counts: { "nextlong.negatives": 1 }, facts: {} }], rows);
  const page = String(nextLongSection({ nextLong: part } as RunReport).body);
  assert.ok(page.includes("<code>&lt;b&gt;s0&lt;/b&gt;</code>") && !page.includes("<b>s0"), "sample ids are escaped");
  assert.ok(page.includes("<code>t&amp;1</code>"));
  assert.ok(page.includes('<td class="num">25.0 %</td>'));
  assert.ok(page.includes("1,001 samples: 3,003 positive spans (300,300 tokens), 1,001 negative spans (100,100 tokens); negative token share 25.0 %."));
  assert.ok(page.includes("Showing the first 1,000 of 1,001 samples"));
  assert.equal(page.split("<tr>").length - 1, 2 + 1 + SPAN_ROWS_SHOWN, "the figures table (head, pack row), the span table's head, the rows shown");
});

test("a run without NExtLong says so", () => {
  const page = String(nextLongSection({ nextLong: nextLongPart([], []) } as RunReport).body);
  assert.match(page, /not in this run/);
});
