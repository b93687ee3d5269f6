import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../test-support/fixtures.js";

/** The demo corpus (Python docs from Debian), fetched by the project's own script when absent. */
export function demoCorpus(): string {
  const path = join(PROJECT_ROOT, "demo-data", "python-docs.jsonl");
  if (!existsSync(path)) execFileSync("bash", [join(PROJECT_ROOT, "scripts", "fetch-demo-corpus.sh"), path], { stdio: "inherit" });
  return path;
}

/** Runs `body` and returns its wall time in seconds with its result. */
export async function timed<T>(body: () => T | Promise<T>): Promise<{ seconds: number; result: T }> {
  const start = performance.now();
  const result = await body();
  return { seconds: (performance.now() - start) / 1000, result };
}
