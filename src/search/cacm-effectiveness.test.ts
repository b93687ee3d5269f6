import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cacmDocuments, runCli, SHARED, temporaryDirectory } from "../test-support/fixtures.js";
import { cacmTopicsToTsv, meanAveragePrecision, meanOverlapAt, meanPrecisionAt, parseQrels, parseRun } from "../test-support/trec-eval.js";

// Anserini's published BM25 on CACM is MAP 0.3123, P@30 0.1942 (Lucene, Porter, k1 0.9, b 0.4).
// Its run file in ../shared holds only the top 30 per query.
test("BM25 over CACM through the CLI matches Anserini's effectiveness", (t) => {
  const run = join(temporaryDirectory(), "cacm-run");
  const indexed = runCli(["index", "--corpus", cacmDocuments(), "--out", run]);
  assert.equal(indexed.status, 0, indexed.stderr);
  const queries = join(run, "..", "topics.tsv");
  writeFileSync(queries, cacmTopicsToTsv(readFileSync(join(SHARED, "ir", "cacm", "topics.cacm.txt"), "utf8")));
  const searched = runCli(["search", "--index", run, "--queries", queries, "-k", "1000", "--format", "trec"]);
  assert.equal(searched.status, 0, searched.stderr);
  const lines = searched.stdout.trim().split("\n");
  assert.match(lines[0]!, /^1 Q0 CACM-1938 1 \d+\.\d{6} litelong$/);
  const qrels = parseQrels(readFileSync(join(SHARED, "ir", "cacm", "qrels.cacm.txt"), "utf8"));
  const ours = parseRun(searched.stdout);
  assert.equal(ours.size, 64);
  const { map, queries: judged } = meanAveragePrecision(ours, qrels);
  assert.equal(judged, 52);
  assert.equal(map.toFixed(4), "0.3119");

  const anserini = parseRun(readFileSync(join(SHARED, "ir", "cacm", "cacm-bm25.anserini-run.txt"), "utf8"));
  const oursTop30 = new Map([...ours].map(([qid, ranking]) => [qid, ranking.slice(0, 30)]));
  assert.equal(meanAveragePrecision(oursTop30, qrels).map.toFixed(4), meanAveragePrecision(anserini, qrels).map.toFixed(4));
  const precision30 = meanPrecisionAt(ours, qrels, 30);
  const overlap30 = meanOverlapAt(ours, anserini, 30);
  t.diagnostic(`CACM: MAP ${map.toFixed(4)} (Anserini 0.3123), P@30 ${precision30.toFixed(4)} (Anserini 0.1942), top-30 overlap with Anserini's run ${overlap30.toFixed(4)}`);
  assert.equal(meanPrecisionAt(anserini, qrels, 30).toFixed(4), "0.1942", "P@30 computed as trec_eval does");
  assert.equal(precision30.toFixed(4), "0.1936");
  assert.equal(overlap30.toFixed(4), "0.9703");
});
