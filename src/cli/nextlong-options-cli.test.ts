import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Sample } from "../core/records.js";
import { cacmJsonl, runCli, temporaryDirectory } from "../test-support/fixtures.js";
import { parseChunkSize } from "./cli-options.js";

const directory = temporaryDirectory();
const corpus = cacmJsonl(directory);
const run = join(directory, "run");
const runArgs = (...extra: string[]) => [
  "run", "--corpus", corpus, "--out", run, "--subjects", "COMPUTERS / Operating*", "--length", "2K", "--samples-per-topic", "2", "--format", "jsonl", "--nextlong", ...extra,
];

function packStage() {
  return (JSON.parse(readFileSync(join(run, "manifest.json"), "utf8")) as { stages: Record<string, { counts: Record<string, number>; options: Record<string, unknown>; facts: Record<string, string> }> }).stages.pack!;
}

const samplesFile = () => readFileSync(join(run, "samples", "jsonl", "part-00000.jsonl"), "utf8");
const samples = () => samplesFile().trim().split("\n").map((line) => JSON.parse(line) as Sample);

test("--chunk-size takes characters (2048, 2048c) or tokens (512t); anything else gives a NaN size for validation", () => {
  assert.deepEqual(parseChunkSize("2048"), { chunkSize: 2048, chunkUnit: "characters" });
  assert.deepEqual(parseChunkSize("1000c"), { chunkSize: 1000, chunkUnit: "characters" });
  assert.deepEqual(parseChunkSize("512t"), { chunkSize: 512, chunkUnit: "tokens" });
  assert.deepEqual(parseChunkSize("256 tokens"), { chunkSize: 256, chunkUnit: "tokens" });
  assert.ok(Number.isNaN(parseChunkSize("12x").chunkSize));
  assert.ok(Number.isNaN(parseChunkSize("-5t").chunkSize));
});

test("token-sized meta-chunks are recorded in the manifest and verify against the re-chunked sources", () => {
  const first = runCli(runArgs("--chunk-size", "64t"));
  assert.equal(first.status, 0, first.stderr);
  const pack = packStage();
  assert.deepEqual([pack.options.chunkSize, pack.options.chunkUnit, pack.options.negativePool], [64, "tokens", "retrieved"]);
  assert.equal(existsSync(join(run, "nextlong", "chunk-texts.spool")), false, "the chunk pool's spool file is deleted when the stage ends");
  // CACM abstracts run to a few hundred tokens: 64-token chunks split most of them.
  const chunkNumbers = samples().flatMap((sample) => sample.spans!.map((span) => span.chunk));
  assert.ok(Math.max(...chunkNumbers) >= 2, "documents were split into several chunks");
  const verified = runCli(["verify", run]);
  assert.equal(verified.status, 0, verified.stdout + verified.stderr);
  assert.match(verified.stdout, / 0 violations/);
});

test("a chunk size that is not a positive whole number is refused, naming the key and both forms, samples untouched", () => {
  const before = samplesFile();
  for (const size of ["12x", "0t"]) {
    const refused = runCli(runArgs("--chunk-size", size));
    assert.equal(refused.status, 2, refused.stderr);
    assert.match(refused.stderr, /chunkSize: must be a positive whole number: --chunk-size 2048 \(characters\) or 512t \(tokens\)/);
  }
  const badPool = runCli(runArgs("--negative-pool", "everything"));
  assert.equal(badPool.status, 2);
  assert.match(badPool.stderr, /negativePool/);
  assert.equal(samplesFile(), before);
});

test("--negative-pool corpus draws negatives through the corpus index: verified, never from the topic with --negatives-exclude-topic, same bytes on rerun", () => {
  const first = runCli(runArgs("--negative-pool", "corpus", "--negatives-exclude-topic"));
  assert.equal(first.status, 0, first.stderr);
  const pack = packStage();
  assert.equal(pack.options.negativePool, "corpus");
  assert.equal(pack.facts["negatives.pool"], "corpus");
  assert.equal(pack.counts["nextlong.chunksIndexed"], 0, "no chunk index is built");
  assert.ok(pack.counts["nextlong.negatives"]! > 0);
  const hits = new Map(readFileSync(join(run, "hits", "hits.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line) as { topicId: string; docIds: string[] }).map((entry) => [entry.topicId, new Set(entry.docIds)]));
  const written = samples();
  for (const sample of written) {
    for (const span of sample.spans!) if (span.kind === "negative") assert.ok(!hits.get(sample.topicId)!.has(span.docId), `${sample.id}: negative ${span.docId} was retrieved for its topic`);
  }
  const verified = runCli(["verify", run]);
  assert.equal(verified.status, 0, verified.stdout + verified.stderr);
  const bytes = samplesFile();
  const again = runCli(runArgs("--negative-pool", "corpus", "--negatives-exclude-topic", "--force"));
  assert.equal(again.status, 0, again.stderr);
  assert.equal(samplesFile(), bytes);
});
