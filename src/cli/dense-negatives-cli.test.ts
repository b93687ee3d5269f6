import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Sample } from "../core/records.js";
import { ChatTestServer } from "../test-support/chat-test-server.js";
import { cacmJsonl, temporaryDirectory } from "../test-support/fixtures.js";
import { spawnCli } from "../test-support/spawn-cli.js";

const directory = temporaryDirectory();
const corpus = cacmJsonl(directory);
const run = join(directory, "run");
const KEY = "sk-dense-3c9e51";
const server = await ChatTestServer.start(() => ({ status: 500 }));
after(() => server.close());
const config = join(directory, "embeddings.json");
writeFileSync(config, JSON.stringify({ embeddingModels: { hashed: { baseURL: server.baseURL, model: "hashed-64", apiKeyEnv: "DENSE_TEST_KEY", batchSize: 16, maxConcurrency: 3 } } }));
const runArgs = (...extra: string[]) => [
  "run", "--config", config, "--corpus", corpus, "--out", run, "--subjects", "COMPUTERS / Operating*", "--subjects", "COM051*", "--length", "2K", "--samples-per-topic", "2", "--nextlong", "--negatives", "dense", ...extra,
];
const cli = (args: string[]) => spawnCli(args, { DENSE_TEST_KEY: KEY }).done;

function packStage() {
  return (JSON.parse(readFileSync(join(run, "manifest.json"), "utf8")) as { stages: Record<string, { counts: Record<string, number>; options: Record<string, unknown> }> }).stages.pack!;
}

const samplesText = () => readFileSync(join(run, "samples", "jsonl", "part-00000.jsonl"), "utf8");

/** Every file under `root`, recursively. */
function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: "utf8" }).map((name) => join(root, name)).filter((path) => statSync(path).isFile());
}

test("pack --nextlong --negatives dense: negatives by embedding from other documents, spans that verify, the key sent and never written", async () => {
  const first = await cli(runArgs("--embeddings", "hashed"));
  assert.equal(first.status, 0, first.stderr);
  const pack = packStage();
  assert.deepEqual([pack.options.negatives, pack.options.embeddings, pack.options.embeddingModel], ["dense", "hashed", "hashed-64"]);
  assert.equal(pack.counts.samples, 77);
  assert.equal(pack.counts.tokens, 77 * 2048);
  assert.equal(pack.counts["nextlong.chunksIndexed"], 1114, "every retrieved document's chunks embedded and indexed");
  assert.equal(pack.counts["nextlong.negativeQueries"], 1114);
  assert.equal(pack.counts["nextlong.embeddingDimensions"], 64);
  // Relaxed topics' new documents are embedded and searched, not indexed.
  assert.equal(pack.counts["nextlong.chunks"], 1114 + pack.counts["nextlong.relaxedNegativeQueries"]!);
  assert.equal(pack.counts["nextlong.embeddedTexts"], pack.counts["nextlong.chunks"]);
  assert.equal(pack.counts["nextlong.embeddingRequests"], server.embeddingRequests.length);
  assert.ok(server.embeddingRequests.every((request) => request.body.model === "hashed-64" && request.body.input.length <= 16 && request.authorization === `Bearer ${KEY}`));
  assert.ok(server.maxInFlight.get("hashed-64")! <= 3);

  const written = samplesText().trim().split("\n").map((line) => JSON.parse(line) as Sample);
  assert.equal(written.length, 77);
  let negatives = 0;
  for (const sample of written) {
    assert.equal(sample.tokenCount, 2048);
    // A negative never comes from the document of the positive chunk it follows.
    let positive: string | undefined;
    for (const span of sample.spans!) {
      if (span.kind === "positive") positive = span.docId;
      else if (positive !== undefined) {
        negatives++;
        assert.notEqual(span.docId, positive, `${sample.id}: negative ${span.docId}#${span.chunk} follows its own document`);
      }
    }
  }
  assert.ok(negatives > 100);
  const verified = await cli(["verify", run]);
  assert.equal(verified.status, 0, verified.stdout + verified.stderr);
  assert.match(verified.stdout, /77 samples, 157696 tokens, 0 violations/);

  const chunkIds = JSON.parse(readFileSync(join(run, "nextlong", "vector-index", "chunk-ids.json"), "utf8")) as string[];
  assert.equal(chunkIds.length, 1114);
  for (const path of filesUnder(run)) assert.ok(!readFileSync(path).includes(KEY), `${path} holds the API key`);
  assert.ok(!(first.stdout + first.stderr).includes(KEY));
});

test("a forced rerun embeds nothing (every vector from the run's cache) and writes the same graph and the same samples", async () => {
  const samples = samplesText();
  const graph = readFileSync(join(run, "nextlong", "vector-index", "index.usearch"));
  const requests = server.embeddingRequests.length;
  const again = await cli(runArgs("--embeddings", "hashed", "--force"));
  assert.equal(again.status, 0, again.stderr);
  assert.equal(server.embeddingRequests.length, requests, "no embeddings request on the rerun");
  const pack = packStage();
  assert.deepEqual([pack.counts["nextlong.embeddingRequests"], pack.counts["nextlong.embeddedTexts"], pack.counts["nextlong.embeddingCacheHits"]], [0, 0, pack.counts["nextlong.chunks"]]);
  assert.ok(readFileSync(join(run, "nextlong", "vector-index", "index.usearch")).equals(graph), "the HNSW graph is built the same way every time");
  assert.equal(samplesText(), samples);
});

test("dense negatives without an embedding model, with an unknown one or from the whole corpus are refused and leave the samples alone", async () => {
  const before = readFileSync(join(run, "samples", "index.json"), "utf8");
  const missing = await cli(runArgs("--force"));
  assert.equal(missing.status, 2, missing.stderr);
  assert.match(missing.stderr, /embeddings: negatives "dense" needs an embedding model: pass --embeddings <name> \(configured under embeddingModels: hashed\)/);
  const unknown = await cli(runArgs("--embeddings", "minilm", "--force"));
  assert.equal(unknown.status, 2, unknown.stderr);
  assert.match(unknown.stderr, /embeddings: model "minilm" is not configured under embeddingModels \(configured: hashed\)/);
  const wholeCorpus = await cli(runArgs("--embeddings", "hashed", "--negative-pool", "corpus", "--force"));
  assert.equal(wholeCorpus.status, 2, wholeCorpus.stderr);
  assert.match(wholeCorpus.stderr, /negativePool: "corpus" works with negatives "bm25" only; dense negatives come from the retrieved documents/);
  assert.equal(readFileSync(join(run, "samples", "index.json"), "utf8"), before);
});
