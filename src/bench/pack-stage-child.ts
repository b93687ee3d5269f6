/**
 * Child process of pack-stage-bench: runs the pack stage once and prints its time, tokens and
 * this process's peak RSS as one JSON line.
 *
 *   node dist/bench/pack-stage-child.js <runDir> <length> <workers>
 */
import { runStages } from "../pipeline/run-pipeline.js";
import { parseRunOptions } from "../pipeline/run-options.js";

const [out, length, workers] = process.argv.slice(2);
const options = parseRunOptions({ out, length: Number(length), workers: Number(workers), subjects: ["COMPUTERS*"], formats: ["jsonl", "mds"], force: true }, "bench");
const started = performance.now();
const [result] = await runStages(["pack"], options, () => {});
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ seconds, tokens: result!.record.counts.tokens, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
