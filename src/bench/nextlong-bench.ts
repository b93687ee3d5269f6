/**
 * The cost of `pack --nextlong` (BM25 hard negatives) against plain packing on the demo run:
 * chunks indexed per second (reading, chunking and indexing the retrieved documents), negatives
 * retrieved per second (one query per chunk on the query workers), and end-to-end pack-stage
 * tokens per second of each mode; then `litelong verify` on the NExtLong samples. Then the same
 * with dense negatives from the loopback fake embeddings server (64-dimensional hashed bags of
 * words, so the server costs next to nothing): chunks embedded per second (HTTP, JSON, cache
 * writes), negatives retrieved per second (HNSW searches), end-to-end tokens per second with an
 * empty embedding cache and again with every vector cached.
 *
 *   node dist/bench/nextlong-bench.js [--length 64K] [--corpus <demo jsonl>] [--batch-size 32] [--json]
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { ChatTestServer } from "../test-support/chat-test-server.js";
import { CLI, temporaryDirectory } from "../test-support/fixtures.js";
import { demoCorpus, timed } from "./bench-support.js";

const { values } = parseArgs({ options: { json: { type: "boolean", default: false }, length: { type: "string", default: "64K" }, corpus: { type: "string" }, verify: { type: "boolean", default: true }, "batch-size": { type: "string", default: "32" } } });
const directory = temporaryDirectory("litelong-bench-");
const run = join(directory, "run");
// Asynchronous, so the fake embeddings server in this process answers while the CLI runs.
const cli = async (...args: string[]) => (await promisify(execFile)(process.execPath, [CLI, ...args], { encoding: "utf8", maxBuffer: 64 << 20 })).stdout;
const common = ["--out", run, "--length", values.length, "--workers", "2", "--format", "jsonl", "--format", "mds"];
await cli("run", "--corpus", values.corpus ?? demoCorpus(), "--subjects", "COMPUTERS*", ...common);

interface PackStage {
  seconds: number;
  counts: Record<string, number>;
}

function packStage(): PackStage {
  return (JSON.parse(readFileSync(join(run, "manifest.json"), "utf8")) as { stages: { pack: PackStage } }).stages.pack;
}

await cli("pack", ...common, "--force");
const plain = packStage();
await cli("pack", ...common, "--nextlong", "--force");
const nextlong = packStage();
const counts = nextlong.counts;
const verify = values.verify ? await timed(async () => (await cli("verify", run)).trim().split("\n").pop()!) : undefined;

const server = await ChatTestServer.start(() => ({ status: 500 }));
const config = join(directory, "embeddings.json");
writeFileSync(config, JSON.stringify({ embeddingModels: { hashed: { baseURL: server.baseURL, model: "hashed-64", batchSize: Number(values["batch-size"]), maxConcurrency: 4 } } }));
const denseArgs = ["pack", ...common, "--config", config, "--nextlong", "--negatives", "dense", "--embeddings", "hashed", "--force"];
await cli(...denseArgs);
const dense = packStage();
await cli(...denseArgs);
const denseCached = packStage();
await server.close();
const denseVerify = values.verify ? (await cli("verify", run)).trim().split("\n").pop()! : undefined;
const perSecond = (count: number | undefined, milliseconds: number | undefined) => Math.round(count! / (milliseconds! / 1000));
const result = {
  length: values.length,
  plainSamples: plain.counts.samples,
  plainTokensPerSecond: Math.round(plain.counts.tokens! / plain.seconds),
  plainSeconds: plain.seconds,
  nextlongSamples: counts.samples,
  nextlongTokensPerSecond: Math.round(counts.tokens! / nextlong.seconds),
  nextlongSeconds: nextlong.seconds,
  chunks: counts["nextlong.chunks"],
  chunksIndexedPerSecond: Math.round(counts["nextlong.chunksIndexed"]! / (counts["nextlong.indexMilliseconds"]! / 1000)),
  negativeQueriesPerSecond: Math.round(counts["nextlong.negativeQueries"]! / (counts["nextlong.negativeMilliseconds"]! / 1000)),
  positivesInSamples: counts["nextlong.positives"],
  negativesInSamples: counts["nextlong.negatives"],
  shortGaps: counts["nextlong.shortGaps"],
  ...(verify ? { verify: verify.result, verifySeconds: Math.round(verify.seconds) } : {}),
  denseSamples: dense.counts.samples,
  denseTokensPerSecond: Math.round(dense.counts.tokens! / dense.seconds),
  denseSeconds: dense.seconds,
  denseCachedTokensPerSecond: Math.round(denseCached.counts.tokens! / denseCached.seconds),
  denseCachedSeconds: denseCached.seconds,
  denseChunksEmbedded: dense.counts["nextlong.embeddedTexts"],
  denseEmbeddingRequests: dense.counts["nextlong.embeddingRequests"],
  denseCachedEmbeddingRequests: denseCached.counts["nextlong.embeddingRequests"],
  chunksEmbeddedPerSecond: perSecond(dense.counts["nextlong.chunksIndexed"], dense.counts["nextlong.embedMilliseconds"]),
  vectorIndexChunksPerSecond: perSecond(dense.counts["nextlong.chunksIndexed"], dense.counts["nextlong.indexMilliseconds"]),
  denseNegativeQueriesPerSecond: perSecond(dense.counts["nextlong.negativeQueries"], dense.counts["nextlong.negativeMilliseconds"]),
  denseNegativesInSamples: dense.counts["nextlong.negatives"],
  denseShortGaps: dense.counts["nextlong.shortGaps"],
  ...(denseVerify ? { denseVerify } : {}),
};
console.log(values.json ? JSON.stringify(result) : result);
