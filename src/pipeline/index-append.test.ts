import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cacmJsonl, runCli, temporaryDirectory } from "../test-support/fixtures.js";

test("new corpus files are added to an existing index; results equal a fresh build of all files", () => {
  const directory = temporaryDirectory();
  const lines = readFileSync(cacmJsonl(directory), "utf8").trimEnd().split("\n");
  const first = join(directory, "a.jsonl");
  const second = join(directory, "b.jsonl");
  writeFileSync(first, lines.slice(0, 2000).join("\n") + "\n");
  writeFileSync(second, lines.slice(1990).join("\n") + "\n");
  const grown = join(directory, "grown");
  assert.equal(runCli(["index", "--corpus", first, "--out", grown]).status, 0);
  const appended = runCli(["index", "--corpus", first, "--corpus", second, "--out", grown, "--json"]);
  assert.equal(appended.status, 0, appended.stderr);
  assert.match(appended.stderr, /index: adding 1 new corpus file\(s\) to the existing index/);
  const fresh = join(directory, "fresh");
  const built = runCli(["index", "--corpus", first, "--corpus", second, "--out", fresh, "--json"]);
  assert.equal(built.status, 0, built.stderr);
  // Segment layout differs between the two builds; what was indexed must not.
  const layout = new Set(["segments", "indexBytes", "segmentsWritten", "merges"]);
  const countsOf = (stdout: string) =>
    Object.fromEntries(Object.entries((JSON.parse(stdout) as Array<{ record: { counts: Record<string, number> } }>)[0]!.record.counts).filter(([key]) => !layout.has(key)));
  const appendedCounts = countsOf(appended.stdout);
  const freshCounts = countsOf(built.stdout);
  assert.deepEqual(appendedCounts, freshCounts);
  assert.equal(freshCounts.documents, 3204);
  assert.equal(freshCounts.duplicateIds, 10);
  const queries = join(directory, "queries.tsv");
  writeFileSync(queries, "1\tcomputer program language\n2\tparallel matrix algorithm\n3\toperating system\n");
  for (const match of ["all", "any"]) {
    const search = (run: string) => runCli(["search", "--index", run, "--queries", queries, "-k", "200", "--match", match, "--format", "trec"]).stdout;
    assert.equal(search(grown), search(fresh));
  }
});
