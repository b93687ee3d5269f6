import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cacmJsonl, runCli, temporaryDirectory } from "../../test-support/fixtures.js";
import { differences, filesUnder } from "../../test-support/run-files.js";

const directory = temporaryDirectory();
const corpus = cacmJsonl(directory);
// 41 heading topics; two pairs of them retrieve the same hits, one pair across the two shards.
const packOptions = ["--length", "2K", "--samples-per-topic", "2", "--format", "jsonl", "--format", "mds", "--compress", "gzip", "--shard-samples", "16", "--workers", "0"];
const options = ["--corpus", corpus, "--subjects", "COMPUTERS / Operating*", "--subjects", "COM051*", ...packOptions];

interface StageRecord {
  finishedAt: string;
  seconds: number;
  counts: Record<string, number>;
  shard?: unknown;
}
interface Manifest {
  stages: Record<string, StageRecord>;
}

const manifestOf = (run: string) => JSON.parse(readFileSync(join(run, "manifest.json"), "utf8")) as Manifest;

/** The manifest's bytes without the wall times, which no two runs share. */
function timelessManifest(run: string): string {
  const manifest = manifestOf(run);
  for (const record of Object.values(manifest.stages)) {
    delete (record as Partial<StageRecord>).finishedAt;
    delete (record as Partial<StageRecord>).seconds;
  }
  return JSON.stringify(manifest, null, 2);
}

function succeed(args: string[]): string {
  const result = runCli(args);
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

const whole = join(directory, "whole");
const shards = [0, 1].map((index) => join(directory, `shard-${index}`));
const merged = join(directory, "merged");

test("a run split with --shard 0/2 and 1/2 and merged equals the unsplit run byte for byte", () => {
  succeed(["run", "--out", whole, ...options]);
  shards.forEach((shard, index) => succeed(["run", "--out", shard, ...options, "--shard", `${index}/2`]));
  assert.equal(succeed(["merge", merged, shards[1]!, shards[0]!]), `merged 2 shards into ${merged}: 41 topics, 78 samples (joined: topics, retrieve, pack)\n`);

  // The run is every file but report.html (it names the run and its times; `litelong report` rewrites it).
  const files = filesUnder(whole).filter((path) => path !== "report.html" && path !== "manifest.json");
  assert.deepEqual(filesUnder(merged).filter((path) => path !== "manifest.json"), files);
  assert.ok(files.includes("samples/jsonl/part-00004.jsonl.gz") && files.includes("samples/mds/shard.00000.mds") && files.includes("hits/hits.jsonl"), files.join(" "));
  assert.deepEqual(differences(whole, merged, files), []);
  assert.equal(timelessManifest(merged), timelessManifest(whole));

  // The shards packed the cross-shard pair of equal hit lists twice; the merge drops the later one as the whole run does.
  const packCounts = [whole, ...shards].map((run) => manifestOf(run).stages.pack!.counts);
  assert.deepEqual(packCounts.map((counts) => [counts.samples, counts.topicsWithSameHits]), [[78, 2], [42, 0], [38, 1]]);

  // Split stages record the latest shard's finish and the shards' summed seconds; others are shard 0's.
  const shardManifests = shards.map(manifestOf);
  for (const stage of ["topics", "retrieve", "pack"]) {
    const records = shardManifests.map((manifest) => manifest.stages[stage]!);
    assert.deepEqual(records.map((record) => record.shard !== undefined), [true, true]);
    assert.equal(manifestOf(merged).stages[stage]!.finishedAt, records.map((record) => record.finishedAt).sort()[1]);
    assert.equal(manifestOf(merged).stages[stage]!.seconds, Math.round((records[0]!.seconds + records[1]!.seconds) * 100) / 100);
  }
  assert.deepEqual(manifestOf(merged).stages.index, shardManifests[0]!.stages.index);
  assert.match(succeed(["inspect", shards[1]!]), /^retrieve \(shard 1\/2\)\s+\S+\s+[\d.]+ s\s+topics=20 /m);

  assert.equal(succeed(["verify", merged]), "78 samples, 159744 tokens, 0 violations\n");
  assert.match(succeed(["run", "--out", merged, ...options]), /^pack\s+skipped \(complete\)/m, "the merged run is complete as the whole run would be");
});

test("topics made whole, then retrieve and pack split three ways, merge to the unsplit run", () => {
  const topicsFile = join(directory, "topics.tsv");
  writeFileSync(topicsFile, ["q1\tcompiler optimization", "q2\tparallel processing", "q3\tdatabase query languages", "q4\toperating system scheduling", "q5\tcompiler optimization"].join("\n") + "\n");
  const fileOptions = ["--corpus", corpus, "--topics", topicsFile, "--length", "1K", "--samples-per-topic", "3", "--workers", "0"];
  const reference = join(directory, "file-whole");
  succeed(["run", "--out", reference, ...fileOptions]);
  // One index and whole topics, copied to three machines.
  const base = join(directory, "file-base");
  succeed(["index", "--out", base, "--corpus", corpus, "--workers", "0"]);
  succeed(["topics", "--out", base, "--topics", topicsFile]);
  const parts = [0, 1, 2].map((index) => {
    const part = join(directory, `file-shard-${index}`);
    cpSync(base, part, { recursive: true });
    succeed(["retrieve", "--out", part, "--shard", `${index}/3`]);
    succeed(["pack", "--out", part, ...fileOptions.slice(4), "--shard", `${index}/3`]);
    return part;
  });
  const result = join(directory, "file-merged");
  assert.equal(succeed(["merge", result, ...parts]), `merged 3 shards into ${result}: 5 topics, 11 samples (joined: retrieve, pack)\n`);
  const files = filesUnder(reference).filter((path) => path !== "report.html" && path !== "manifest.json");
  assert.deepEqual(differences(reference, result, files), []);
  assert.equal(timelessManifest(result), timelessManifest(reference));
  assert.equal(manifestOf(reference).stages.pack!.counts.topicsWithSameHits, 1, "q5 repeats q1, on another shard");
});

test("bad shards and merges fail with a clear message and leave earlier outputs alone", () => {
  const fails = (args: string[], status: number, message: string) => {
    const result = runCli(args);
    assert.equal(result.status, status, result.stdout + result.stderr);
    assert.equal(result.stderr, `litelong: error: ${message}\n`);
  };
  fails(["retrieve", "--out", join(directory, "never"), "--shard", "2/2"], 2, 'shard: "2/2": i must be in 0..1 (shards are numbered from 0)');
  fails(["pack", "--out", join(directory, "never"), "--shard", "0/2", "--max-doc-uses", "1"], 2, "maxDocUses: counts document uses across all topics, so it cannot be split into shards; drop --max-doc-uses or --shard");

  const debateConfig = join(directory, "debate.yaml");
  const model = (name: string) => `  ${name}: { baseURL: "http://127.0.0.1:9/v1", model: ${name} }`;
  writeFileSync(debateConfig, ["models:", model("alpha"), model("beta"), "debate:", "  debaters: [alpha, beta]", ""].join("\n"));
  fails(
    ["topics", "--config", debateConfig, "--out", join(directory, "debate"), "--subjects", "COM051*", "--shard", "0/2"],
    2,
    "debate: debated topics cannot be made by shards yet (one LLM cache and usage record per run); make them without --shard, then retrieve and pack with --shard",
  );

  const before = readFileSync(join(shards[0]!, "manifest.json"));
  fails(["retrieve", "--out", shards[0]!], 1, `${shards[0]}: the topics stage was made for shard 0/2, so retrieve cannot run without --shard; pass --shard 0/2 (or redo topics with --force)`);
  fails(["pack", "--out", shards[0]!, "--shard", "1/2"], 1, `${shards[0]}: the retrieve stage was made for shard 0/2, so pack cannot run with --shard 1/2; pass --shard 0/2 (or redo retrieve with --force)`);
  assert.deepEqual(readFileSync(join(shards[0]!, "manifest.json")), before);

  const out = join(directory, "bad-merge");
  fails(["merge", out, shards[0]!], 1, "missing shard 1/2: merge needs the run directory of every shard");
  fails(["merge", out, shards[0]!, shards[0]!], 1, `${shards[0]}: shard 0/2 is given twice (also ${shards[0]})`);
  fails(["merge", out, whole, shards[0]!], 1, `${whole}: not a shard run: none of its stages was made with --shard`);
  const other = join(directory, "shard-1-other");
  cpSync(shards[1]!, other, { recursive: true });
  succeed(["pack", "--out", other, ...packOptions, "--samples-per-topic", "1", "--shard", "1/2"]);
  fails(["merge", out, shards[0]!, other], 1, `${other} (shard 1/2) and ${shards[0]} (shard 0/2) were made with different options (samplesPerTopic); shards of one run share every option but --shard`);
  assert.deepEqual(filesUnder(directory).filter((path) => path.startsWith("bad-merge")), [], "a failed merge leaves nothing");

  mkdirSync(out);
  writeFileSync(join(out, "keep.txt"), "mine\n");
  fails(["merge", out, ...shards], 1, `${out}: already exists and is not empty; merge writes a new run directory`);
  assert.deepEqual(filesUnder(out), ["keep.txt"]);
});
