import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { cacmJsonl, runCli, temporaryDirectory } from "../test-support/fixtures.js";

const directory = temporaryDirectory();
const corpus = cacmJsonl(directory);
const runArgs = (out: string, ...extra: string[]) => [
  "run", "--corpus", corpus, "--out", out, "--subjects", "COMPUTERS / Operating*", "--subjects", "COM051*", "--length", "2K", "--samples-per-topic", "2", ...extra,
];

function readManifest(run: string) {
  return JSON.parse(readFileSync(join(run, "manifest.json"), "utf8")) as { stages: Record<string, { counts: Record<string, number>; fingerprint: string }> };
}

test("run writes exact-length samples that verify, and a rerun does no work", () => {
  const run = join(directory, "run");
  const first = runCli(runArgs(run));
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /^pack\s+ran\s/m);
  const manifest = readManifest(run);
  assert.deepEqual(manifest.stages.index!.counts, { files: 1, documents: 3204, characters: manifest.stages.index!.counts.characters, duplicateIds: 0, terms: 14071, segments: 1, segmentsWritten: 1, merges: 0, indexBytes: manifest.stages.index!.counts.indexBytes });
  assert.equal(manifest.stages.taxonomy!.counts.subjects, 41);
  const pack = manifest.stages.pack!.counts;
  assert.equal(pack.samples, 78);
  assert.equal(pack.tokens, 78 * 2048);
  assert.equal(pack.topicsRelaxed, 31, "all-terms topics that filled nothing were re-queried with any term");
  assert.equal(pack.topicsWithSameHits, 2);

  const lines = readFileSync(join(run, "samples", "jsonl", "part-00000.jsonl"), "utf8").trim().split("\n");
  assert.equal(lines.length, 78);
  const sample = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.deepEqual(Object.keys(sample).sort(), ["docIds", "docOffsets", "docTokenSpans", "domain", "id", "subjectId", "text", "tokenCount", "tokenizer", "topic", "topicId"]);
  assert.equal(sample.tokenCount, 2048);
  assert.equal(sample.domain, "Computers");

  const verified = runCli(["verify", run]);
  assert.equal(verified.status, 0, verified.stdout + verified.stderr);
  assert.equal(verified.stdout, "78 samples, 159744 tokens, 0 violations\n");

  const before = readFileSync(join(run, "samples", "jsonl", "part-00000.jsonl"));
  const again = runCli(runArgs(run));
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.stdout.match(/skipped \(complete\)/g)?.length, 5, again.stdout);
  assert.deepEqual(readFileSync(join(run, "samples", "jsonl", "part-00000.jsonl")), before);

  const forced = runCli(runArgs(run, "--force"));
  assert.equal(forced.status, 0, forced.stderr);
  assert.deepEqual(readFileSync(join(run, "samples", "jsonl", "part-00000.jsonl")), before, "same inputs give byte-identical samples");
});

test("samples are byte-identical whatever the number of tokenizer workers", () => {
  const run = join(directory, "workers");
  const digests = ["0", "1", "2"].map((workers) => {
    const result = runCli(runArgs(run, "--format", "jsonl", "--format", "mds", "--workers", workers, "--force"));
    assert.equal(result.status, 0, result.stderr);
    return ["jsonl/part-00000.jsonl", "mds/shard.00000.mds", "mds/index.json"].map((file) => createHash("sha256").update(readFileSync(join(run, "samples", file))).digest("hex"));
  });
  assert.deepEqual(digests[1], digests[0]);
  assert.deepEqual(digests[2], digests[0]);
});

test("verify reports a tampered sample and exits 1", () => {
  const run = join(directory, "tampered");
  assert.equal(runCli(runArgs(run, "--no-relax", "--format", "jsonl", "--format", "mds")).status, 0);
  const shard = join(run, "samples", "jsonl", "part-00000.jsonl");
  const lines = readFileSync(shard, "utf8").trim().split("\n");
  assert.equal(lines.length, 16);
  const sample = JSON.parse(lines[1]!) as { id: string; text: string; docIds: string[] };
  sample.text = sample.text.replace(/system/, "sytsem");
  sample.docIds[0] = "CACM-9999";
  lines[1] = JSON.stringify(sample);
  writeFileSync(shard, lines.join("\n") + "\n");
  const verified = runCli(["verify", run]);
  assert.equal(verified.status, 1);
  const output = verified.stdout.trim().split("\n");
  const at = `samples/jsonl/part-00000.jsonl:2 (${sample.id})`;
  assert.equal(output[0], "samples/jsonl/part-00000.jsonl: SHA-256 differs from index.json (file changed or damaged)");
  assert.ok(output.includes(`${at}: text re-tokenizes to 2050 tokens with boundary tokens, expected 2048`), verified.stdout);
  assert.ok(output.includes(`${at}: MDS input_ids are not what the sample text tokenizes to`), verified.stdout);
  assert.ok(output.includes(`${at}: documents not in the index: CACM-9999`), verified.stdout);
  assert.ok(output.some((line) => line.startsWith(`${at}: document `) && line.includes("re-tokenizes to")), "the changed document's span no longer matches");
  assert.match(output[output.length - 1]!, /^16 samples, 32768 tokens, [45] violations$/);
});

test("stage commands run one at a time and say what is missing", () => {
  const run = join(directory, "stages");
  const early = runCli(["retrieve", "--out", run]);
  assert.equal(early.status, 1);
  assert.match(early.stderr, /the topics stage has not run yet; run `litelong topics` first/);
  assert.equal(runCli(["index", "--out", run, "--corpus", corpus]).status, 0);
  const topicsFile = join(directory, "topics.tsv");
  writeFileSync(topicsFile, "q1\tprogramming language compilers\nq2\toperating system scheduling\n");
  assert.equal(runCli(["topics", "--out", run, "--topics", topicsFile]).status, 0);
  assert.equal(runCli(["retrieve", "--out", run, "-k", "50"]).status, 0);
  const hits = readFileSync(join(run, "hits", "hits.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line) as { topicId: string; docIds: string[] });
  assert.deepEqual(hits.map((entry) => [entry.topicId, entry.docIds.length]), [["q1", 50], ["q2", 27]]);
  const packed = runCli(["pack", "--out", run, "--length", "1000", "--samples-per-topic", "1", "--order", "shuffle", "--seed", "3"]);
  assert.equal(packed.status, 0, packed.stderr);
  assert.equal(readManifest(run).stages.pack!.counts.samples, 2);
  assert.equal(runCli(["verify", run]).status, 0);
  const inspected = runCli(["inspect", run, "--sample", "q1-s0"]);
  assert.equal(inspected.status, 0);
  const inspection = JSON.parse(inspected.stdout) as { topic: { text: string }; documents: Array<{ id: string; preview: string }> };
  assert.equal(inspection.topic.text, "programming language compilers");
  assert.ok(inspection.documents.length > 0 && inspection.documents.every((document) => document.preview.length > 0));
});

test("downstream stages follow upstream outputs, not upstream runs", () => {
  const run = join(directory, "downstream");
  const topicsFile = join(directory, "downstream-topics.tsv");
  writeFileSync(topicsFile, "q1\tprogramming language compilers\n");
  const args = (...extra: string[]) => ["run", "--corpus", corpus, "--out", run, "--topics", topicsFile, "--length", "512", "--samples-per-topic", "1", ...extra];
  assert.equal(runCli(args()).status, 0);
  const forcedIndex = runCli(["index", "--corpus", corpus, "--out", run, "--force"]);
  assert.equal(forcedIndex.status, 0);
  const after = runCli(args());
  assert.equal(after.stdout.match(/skipped \(complete\)/g)?.length, 5, "an index rebuilt with the same content changes nothing downstream");
  writeFileSync(topicsFile, "q1\tprogramming language compilers\nq2\toperating system scheduling\n");
  const changed = runCli(args());
  assert.match(changed.stdout, /^topics\s+ran/m);
  assert.match(changed.stdout, /^retrieve\s+ran/m);
  assert.match(changed.stdout, /^pack\s+ran/m);
  assert.equal(readManifest(run).stages.pack!.counts.samples, 2);
});

test("bad corpus records are named by file, line and field", () => {
  const bad = join(directory, "bad.jsonl");
  writeFileSync(bad, ['{"id": "a", "text": "fine text here"}', '{"id": "b", "text": ', '{"id": "c", "body": "no text field"}', '{"id": "d", "text": 42}', ""].join("\n"));
  const out = join(directory, "bad-run");
  const failed = runCli(["index", "--corpus", bad, "--out", out, "--on-bad-record", "fail"]);
  assert.equal(failed.status, 1);
  assert.match(failed.stderr, /bad\.jsonl:2: .*JSON/);
  assert.equal(existsSync(join(out, "index", "index.json")), false, "nothing half-written");

  const skipped = runCli(["index", "--corpus", bad, "--out", out]);
  assert.equal(skipped.status, 0, skipped.stderr);
  assert.match(skipped.stderr, /bad\.jsonl:3 field 'text': missing; expected a string/);
  assert.match(skipped.stderr, /bad\.jsonl:4 field 'text': /);
  const counts = readManifest(out).stages.index!.counts;
  assert.equal(counts.documents, 1);
  assert.equal(counts["skipped.malformed-json"], 1);
  assert.equal(counts["skipped.missing-text"], 1);
  assert.equal(counts["skipped.non-string-text"], 1);

  const missing = runCli(["index", "--corpus", join(directory, "nope", "*.jsonl"), "--out", out]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /nope\/\*\.jsonl.*match/);
  const absent = runCli(["index", "--corpus", join(directory, "absent.jsonl"), "--out", out]);
  assert.equal(absent.status, 1);
  assert.match(absent.stderr, /absent\.jsonl/);
});

test("config files are validated with every problem reported at once; flags override them", () => {
  const config = join(directory, "config.yaml");
  writeFileSync(config, "length: lots\nsamplesPerTopic: -1\nmatch: some\ncolour: blue\n");
  const rejected = runCli(["pack", "--config", config, "--out", join(directory, "x")]);
  assert.equal(rejected.status, 2);
  const problems = rejected.stderr.split("\n").filter((line) => line.startsWith("  - "));
  assert.equal(problems.length, 4, rejected.stderr);
  assert.match(rejected.stderr, /length: /);
  assert.match(rejected.stderr, /samplesPerTopic: /);
  assert.match(rejected.stderr, /match: /);
  assert.match(rejected.stderr, /colour/);

  writeFileSync(config, `corpus: [${JSON.stringify(corpus)}]\nsubjects: ["COM051*"]\nlength: 4096\nsamplesPerTopic: 1\n`);
  const out = join(directory, "configured");
  const ran = runCli(["run", "--config", config, "--out", out, "--length", "1024"]);
  assert.equal(ran.status, 0, ran.stderr);
  const lines = readFileSync(join(out, "samples", "jsonl", "part-00000.jsonl"), "utf8").trim().split("\n");
  assert.ok(lines.every((line) => (JSON.parse(line) as { tokenCount: number }).tokenCount === 1024));
});

test("--help lists every command and its flags", () => {
  const help = runCli(["--help"]);
  assert.equal(help.status, 0);
  for (const command of ["run", "index", "topics", "retrieve", "pack", "search", "verify", "inspect"]) assert.match(help.stdout, new RegExp(`^  ${command} `, "m"));
  const packHelp = runCli(["pack", "--help"]);
  for (const flag of ["--length", "--tokenizer", "--samples-per-topic", "--seed", "--out", "--config"]) assert.ok(packHelp.stdout.includes(flag), flag);
});
