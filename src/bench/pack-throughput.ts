/**
 * Packing cost against the tokenizer's raw speed, on one core, on the same text: the demo
 * corpus as one topic, packed into 128K-token samples. Overhead = pack time / raw tokenize time - 1.
 *
 *   node dist/bench/pack-throughput.js [--length 131072] [--json]
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { packDocuments, type PackOptions } from "../pipeline/pack/pack-topic.js";
import { loadTokenizer } from "../tokenizer/load-tokenizer.js";
import { demoCorpus, timed } from "./bench-support.js";

const { values } = parseArgs({ options: { length: { type: "string", default: "131072" }, json: { type: "boolean", default: false } } });
const length = Number(values.length);
const documents = readFileSync(demoCorpus(), "utf8").trim().split("\n").map((line) => JSON.parse(line) as { id: string; text: string });
const tokenizer = await loadTokenizer("llama3");
const options: PackOptions = { length, samplesPerTopic: Number.MAX_SAFE_INTEGER, separator: "\n\n", boundaryTokens: "none", split: true, longDocuments: "split", shortTopics: "drop", nearDuplicateThreshold: 1 };

// Warm-up so both measurements run JIT-compiled code.
packDocuments(documents.slice(0, 200), tokenizer, { ...options, length: 4096 });
// Interleaved repetitions, medians: the other core's load shifts single measurements.
const rawRuns: Array<Awaited<ReturnType<typeof tokenizeAll>>> = [];
const packRuns: Array<Awaited<ReturnType<typeof packAll>>> = [];
const nearRuns: Array<Awaited<ReturnType<typeof packAll>>> = [];
for (let round = 0; round < 3; round++) {
  rawRuns.push(await tokenizeAll());
  packRuns.push(await packAll(1));
  nearRuns.push(await packAll(0.8));
}
const raw = median(rawRuns);
const packed = median(packRuns);
const withNearDuplicates = median(nearRuns);
function tokenizeAll() {
  return timed(() => documents.reduce((sum, document) => sum + tokenizer.encode(document.text.trim() + "\n\n").length, 0));
}

function packAll(nearDuplicateThreshold: number) {
  return timed(() => packDocuments(documents, tokenizer, { ...options, nearDuplicateThreshold }));
}

function median<T extends { seconds: number }>(runs: T[]): T {
  return runs.slice().sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)]!;
}

const packedTokens = packed.result.samples.length * length;
const result = {
  documents: documents.length,
  tokens: raw.result,
  rawTokensPerSecond: Math.round(raw.result / raw.seconds),
  packedSamples: packed.result.samples.length,
  packedTokensPerSecond: Math.round(packedTokens / packed.seconds),
  overheadPercent: Number(((packed.seconds / raw.seconds - 1) * 100).toFixed(1)),
  nearDuplicateOverheadPercent: Number(((withNearDuplicates.seconds / raw.seconds - 1) * 100).toFixed(1)),
};
tokenizer.free();
console.log(values.json ? JSON.stringify(result) : result);
