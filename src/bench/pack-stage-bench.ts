/**
 * The pack stage end to end on the demo run: tokens per second with 1 and 2 tokenizer workers,
 * byte-identical shards whatever the worker count, and peak RSS at a 512K-token target.
 *
 *   node dist/bench/pack-stage-bench.js [--json]
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CLI, temporaryDirectory } from "../test-support/fixtures.js";
import { demoCorpus } from "./bench-support.js";

const { values } = parseArgs({ options: { json: { type: "boolean", default: false } } });
const run = join(temporaryDirectory("litelong-bench-"), "run");
const cli = (...args: string[]) => execFileSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
cli("run", "--corpus", demoCorpus(), "--out", run, "--subjects", "COMPUTERS*", "--length", "128K", "--workers", "2");

/** Runs the pack stage in a child that reports its own peak RSS. */
function pack(workers: number, length: string) {
  const child = new URL("./pack-stage-child.js", import.meta.url);
  const output = execFileSync(process.execPath, [fileURLToPath(child), run, length, String(workers)], { encoding: "utf8" });
  const measured = JSON.parse(output.trim().split("\n").pop()!) as { seconds: number; tokens: number; maxRssMB: number };
  return { ...measured, shards: shardDigest() };
}

function shardDigest(): string {
  const hash = createHash("sha256");
  for (const format of ["jsonl", "mds"]) {
    const directory = join(run, "samples", format);
    for (const file of readdirSync(directory).sort()) if (/\.(jsonl|mds)$/.test(file)) hash.update(readFileSync(join(directory, file)));
  }
  return hash.digest("hex").slice(0, 16);
}

const one = pack(1, "131072");
const two = pack(2, "131072");
const big = pack(2, "524288");
const result = {
  tokens128K: one.tokens,
  tokensPerSecond1Worker: Math.round(one.tokens / one.seconds),
  tokensPerSecond2Workers: Math.round(two.tokens / two.seconds),
  identicalShards: one.shards === two.shards,
  shardDigest: one.shards,
  peakRssMB128K: Math.round(two.maxRssMB),
  tokens512K: big.tokens,
  peakRssMB512K: Math.round(big.maxRssMB),
};
console.log(values.json ? JSON.stringify(result) : result);
