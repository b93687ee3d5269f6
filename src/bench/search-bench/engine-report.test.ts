import { test } from "node:test";
import assert from "node:assert/strict";
import { formatReport, percentile, ratiosOf, summarizeBuild, summarizeRun, topOverlap, type EngineResult } from "./engine-report.js";

test("nearest-rank percentiles", () => {
  const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  assert.equal(percentile(sorted, 0.5), 5);
  assert.equal(percentile(sorted, 0.95), 10);
  assert.equal(percentile([], 0.5), 0);
});

test("a run summary counts answered queries, rates and mean hits", () => {
  const summary = summarizeRun({ seconds: 2, latencies: [3, 1, 2, 4], ids: [["1"], ["2", "3"], [], ["4"]] }, "any", 100);
  assert.deepEqual(summary, { match: "any", k: 100, answered: 4, queriesPerSecond: 2, p50Milliseconds: 2, p95Milliseconds: 4, meanHits: 1 });
});

test("top-k overlap: shared ids over the larger list, queries nobody answered ignored", () => {
  const ours = [["1", "2", "3", "4"], ["5"], [], ["9"]];
  const theirs = [["4", "3", "7"], ["6"], [], ["9"], ["10"]];
  assert.equal(topOverlap(ours, theirs), (2 / 4 + 0 + 1) / 3);
});

test("ratios are ours divided by the peer's, per shared pass", () => {
  const run = (queriesPerSecond: number, p50Milliseconds: number) => ({ match: "all" as const, k: 100, answered: 1, queriesPerSecond, p50Milliseconds, p95Milliseconds: 1, meanHits: 1 });
  const ours: EngineResult = { name: "litelong", runs: [run(100, 2)] };
  const peer: EngineResult = { name: "lucene", runs: [run(50, 4), { ...run(1, 1), k: 1000 }] };
  assert.deepEqual(ratiosOf(ours, peer), { "all@100.queriesPerSecond": 2, "all@100.p50": 0.5, "all@100.p95": 1 });
});

test("an engine that could not run is listed with its reason, not dropped", () => {
  const report = formatReport([{ name: "sphinx", skipped: "apt-get install sphinxsearch failed: E: Unable to locate package", runs: [] }]);
  assert.match(report, /^sphinx {5}skipped: apt-get install sphinxsearch failed: E: Unable to locate package$/m);
});

test("build summary: per core divides by indexing threads, per CPU-second by CPU time; only the cost fields are kept", () => {
  const cost = { seconds: 10, cpuSeconds: 5, indexBytes: 30e6, peakRssBytes: 1e9, indexingThreads: 2, stdout: "noise" };
  assert.deepEqual(summarizeBuild(cost, { bytes: 100e6, documents: 1000 }), {
    seconds: 10, cpuSeconds: 5, indexBytes: 30e6, peakRssBytes: 1e9, indexingThreads: 2,
    megabytesPerSecondPerCore: 5, documentsPerSecondPerCore: 50, megabytesPerCpuSecond: 20, indexShare: 0.3,
  });
});
