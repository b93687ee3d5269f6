/**
 * `npm run bench`: every benchmark, one after another (each in its own process so they do not
 * share a heap or JIT state), printed as one JSON line per benchmark.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const BENCHMARKS = ["pack-throughput.js", "pack-stage-bench.js", "debate-overhead.js", "search-engines.js"];

for (const file of BENCHMARKS) {
  const path = fileURLToPath(new URL(`./${file}`, import.meta.url));
  const started = performance.now();
  const output = execFileSync(process.execPath, [path, "--json"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${file.replace(/\.js$/, "")} (${seconds} s): ${output.trim().split("\n").pop()}`);
}
