import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Sample } from "../core/records.js";
import { cacmJsonl, runCli, temporaryDirectory } from "../test-support/fixtures.js";

const directory = temporaryDirectory();
const corpus = cacmJsonl(directory);
const run = join(directory, "run");
const runArgs = (...extra: string[]) => [
  "run", "--corpus", corpus, "--out", run, "--subjects", "COMPUTERS / Operating*", "--subjects", "COM051*", "--length", "2K", "--samples-per-topic", "2", "--format", "jsonl", "--format", "mds", ...extra,
];

function packStage() {
  return (JSON.parse(readFileSync(join(run, "manifest.json"), "utf8")) as { stages: Record<string, { counts: Record<string, number>; options: Record<string, unknown> }> }).stages.pack!;
}

function samples(): Sample[] {
  return readFileSync(join(run, "samples", "jsonl", "part-00000.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line) as Sample);
}

test("run --nextlong writes exact-length interleaved samples with spans that verify, in JSONL and MDS", () => {
  const first = runCli(runArgs("--nextlong", "--negatives-per-gap", "1"));
  assert.equal(first.status, 0, first.stderr);
  const pack = packStage();
  assert.equal(pack.counts.samples, 77);
  assert.equal(pack.counts.tokens, 77 * 2048);
  assert.equal(pack.counts.topicsRelaxed, 30, "all-terms topics that filled nothing were re-queried with any term, as in plain packing");
  assert.equal(pack.counts["nextlong.chunksIndexed"], 1114, "every retrieved document chunked and indexed (CACM abstracts are mostly one chunk)");
  assert.equal(pack.counts["nextlong.negativeQueries"], 1114);
  assert.equal(pack.counts["nextlong.chunks"], 1114 + pack.counts["nextlong.relaxedNegativeQueries"]!, "relaxed topics' new documents chunked and given negatives");
  assert.deepEqual([pack.options.nextlong, pack.options.chunkSize, pack.options.negativesPerGap, pack.options.negatives], [true, 2048, 1, "bm25"]);
  const written = samples();
  assert.equal(written.length, 77);
  for (const sample of written) {
    assert.equal(sample.tokenCount, 2048);
    assert.equal(sample.spans!.length, sample.docIds.length);
    assert.deepEqual(sample.spans!.map((span) => span.tokens), sample.docTokenSpans);
  }
  const kinds = written.flatMap((sample) => sample.spans!.map((span) => span.kind));
  assert.ok(kinds.includes("positive") && kinds.includes("negative"));
  // A negative never repeats within a topic's stream, and one cut between two samples shows in both.
  const negatives = new Set(written.flatMap((sample) => sample.spans!.filter((span) => span.kind === "negative").map((span) => `${sample.topicId} ${span.docId}#${span.chunk}`)));
  assert.equal(negatives.size, pack.counts["nextlong.negatives"]);

  const verified = runCli(["verify", run]);
  assert.equal(verified.status, 0, verified.stdout + verified.stderr);
  assert.match(verified.stdout, /77 samples, 157696 tokens, 0 violations/);
});

test("verify names a span whose chunk is not the text it claims", () => {
  const path = join(run, "samples", "jsonl", "part-00000.jsonl");
  const original = readFileSync(path, "utf8");
  const written = samples();
  const target = written.findIndex((sample) => sample.spans!.length > 2);
  written[target]!.spans![1]!.chunk += 1;
  writeFileSync(path, written.map((sample) => JSON.stringify(sample)).join("\n") + "\n");
  const verified = runCli(["verify", run]);
  writeFileSync(path, original);
  assert.equal(verified.status, 1);
  assert.match(verified.stdout + verified.stderr, new RegExp(`span 1 is not chunk ${written[target]!.spans![1]!.chunk} of document ${written[target]!.spans![1]!.docId}`));
});

test("the NExtLong keys are in the pack fingerprint; the config file takes the same keys", () => {
  const again = runCli(runArgs("--nextlong", "--negatives-per-gap", "2"));
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /^index\s+skipped/m);
  assert.match(again.stdout, /^pack\s+ran/m);
  assert.equal(packStage().options.negativesPerGap, 2);
  const config = join(directory, "nextlong.json");
  writeFileSync(config, JSON.stringify({ nextlong: true, chunkSize: 2048, negativesPerGap: 2, negatives: "bm25" }));
  const fromFile = runCli(runArgs("--config", config));
  assert.equal(fromFile.status, 0, fromFile.stderr);
  assert.match(fromFile.stdout, /^pack\s+skipped/m, "same options from the file: nothing to redo");
});

test("an unknown --negatives source is refused with a clear message and leaves the samples alone", () => {
  const before = readFileSync(join(run, "samples", "index.json"), "utf8");
  const refused = runCli(runArgs("--nextlong", "--negatives", "splade"));
  assert.equal(refused.status, 2, refused.stderr);
  assert.match(refused.stderr, /negatives: must be "bm25" or "dense"/);
  assert.equal(readFileSync(join(run, "samples", "index.json"), "utf8"), before);
});
