/**
 * The cost of `pack --nextlong` (BM25 hard negatives) against plain packing on the demo run:
 * chunks indexed per second (reading, chunking and indexing the retrieved documents), negatives
 * retrieved per second (one query per chunk on the query workers), and end-to-end pack-stage
 * tokens per second of each mode; then `litelong verify` on the NExtLong samples.
 *
 *   node dist/bench/nextlong-bench.js [--length 64K] [--corpus <demo jsonl>] [--json]
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { CLI, temporaryDirectory } from "../test-support/fixtures.js";
import { demoCorpus, timed } from "./bench-support.js";

const { values } = parseArgs({ options: { json: { type: "boolean", default: false }, length: { type: "string", default: "64K" }, corpus: { type: "string" }, verify: { type: "boolean", default: true } } });
const run = join(temporaryDirectory("litelong-bench-"), "run");
const cli = (...args: string[]) => execFileSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
const common = ["--out", run, "--length", values.length, "--workers", "2", "--format", "jsonl", "--format", "mds"];
cli("run", "--corpus", values.corpus ?? demoCorpus(), "--subjects", "COMPUTERS*", ...common);

interface PackStage {
  seconds: number;
  counts: Record<string, number>;
}

function packStage(): PackStage {
  return (JSON.parse(readFileSync(join(run, "manifest.json"), "utf8")) as { stages: { pack: PackStage } }).stages.pack;
}

cli("pack", ...common, "--force");
const plain = packStage();
cli("pack", ...common, "--nextlong", "--force");
const nextlong = packStage();
const counts = nextlong.counts;
const verify = values.verify ? await timed(() => cli("verify", run).trim().split("\n").pop()!) : undefined;
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
};
console.log(values.json ? JSON.stringify(result) : result);
