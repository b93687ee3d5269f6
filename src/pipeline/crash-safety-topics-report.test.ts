import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { seededRandom } from "../core/seeded-random.js";
import { cacmJsonl, runCli, sharedAvailable, temporaryDirectory } from "../test-support/fixtures.js";
import { completedStages, differences, temporaryFiles } from "../test-support/run-files.js";
import { spawnCli } from "../test-support/spawn-cli.js";

/**
 * Issue 6, crash safety of the steps crash-safety.test.ts does not kill: the topics command
 * (taxonomy + heading topics) and the HTML report. SIGKILL at seeded moments between the CLI's
 * start-up and the end of a clean command, check nothing is recorded done without its exact outputs, rerun,
 * compare bytes. (The LLM debate is killed mid-run in topics/debate-cli.test.ts.)
 */

const SUBJECT_FLAGS = ["--subjects", "COMPUTERS / Operating*", "--subjects", "COM051*"];
const KILLS = 4;
const SEED = 6_2026;

/** The files of each stage a kill may leave recorded done. */
const STAGE_FILES: Record<string, string[]> = {
  index: ["index/index.json", "index/segments.json", "index/segment-000000.llsg"],
  taxonomy: ["subjects.jsonl"],
  topics: ["topics/topics.jsonl"],
  retrieve: ["hits/hits.jsonl"],
  pack: ["samples/index.json"],
};

interface Step {
  name: string;
  /** The run directory the step starts from. */
  before: string;
  args: (directory: string) => string[];
  /** Files the step writes, compared with a clean run of the step in the same directory. */
  outputs: string[];
}

/** Runs the step cleanly in `directory` (so paths inside outputs match), keeps its outputs, restores `before`. */
async function cleanRun(step: Step, directory: string, keep: string): Promise<number> {
  cpSync(step.before, directory, { recursive: true });
  const startedAt = performance.now();
  const clean = await spawnCli(step.args(directory)).done;
  const seconds = (performance.now() - startedAt) / 1000;
  assert.equal(clean.status, 0, clean.stderr);
  cpSync(directory, keep, { recursive: true });
  rmSync(directory, { recursive: true });
  cpSync(step.before, directory, { recursive: true });
  return seconds;
}

test("SIGKILL during topics or report, then a rerun: outputs identical to a clean run", { skip: !sharedAvailable() && "needs ../shared", timeout: 180_000 }, async (t) => {
  const base = temporaryDirectory("litelong-crash-steps-");
  const corpus = cacmJsonl(base);
  const afterIndex = join(base, "after-index");
  assert.equal(runCli(["index", "--out", afterIndex, "--corpus", corpus]).status, 0);
  const beforeReport = join(base, "before-report");
  cpSync(afterIndex, beforeReport, { recursive: true });
  for (const args of [["topics", ...SUBJECT_FLAGS], ["retrieve"], ["pack", "--length", "2K", "--samples-per-topic", "1", "--workers", "0"]]) {
    const result = runCli([args[0]!, "--out", beforeReport, ...args.slice(1)]);
    assert.equal(result.status, 0, result.stderr);
  }
  const steps: Step[] = [
    { name: "topics", before: afterIndex, args: (directory) => ["topics", "--out", directory, ...SUBJECT_FLAGS], outputs: ["subjects.jsonl", "topics/topics.jsonl"] },
    { name: "report", before: beforeReport, args: (directory) => ["report", directory], outputs: ["report.html"] },
  ];
  // Kills before the CLI has loaded test nothing of the step: aim after the time `--version` takes,
  // the fastest of three (one cold start once took longer than the whole report command).
  let startup = Infinity;
  for (let i = 0; i < 3; i++) {
    const startedAt = performance.now();
    assert.equal((await spawnCli(["--version"]).done).status, 0);
    startup = Math.min(startup, (performance.now() - startedAt) / 1000);
  }
  const random = seededRandom(SEED);
  for (const step of steps) {
    const directory = join(base, `killed-${step.name}`);
    const reference = join(base, `clean-${step.name}`);
    const seconds = await cleanRun(step, directory, reference);
    const kills: Array<{ delay: number; killed: boolean }> = [];
    let lastPid = 0;
    for (let n = 0; n < KILLS; n++) {
      // Within the clean run's time, even when starting up took most of it.
      const earliest = Math.min(startup, seconds / 2);
      const delay = earliest + random() * (seconds - earliest);
      const spawned = spawnCli(step.args(directory));
      lastPid = spawned.child.pid!;
      const timer = setTimeout(() => spawned.child.kill("SIGKILL"), delay * 1000);
      const result = await spawned.done;
      clearTimeout(timer);
      kills.push({ delay: Number(delay.toFixed(3)), killed: result.signal === "SIGKILL" });
      for (const stage of completedStages(directory)) {
        assert.deepEqual(differences(reference, directory, STAGE_FILES[stage]!), [], `${stage} recorded done after a kill at ${delay.toFixed(3)} s`);
      }
      for (const output of step.outputs) {
        if (existsSync(join(directory, output))) assert.deepEqual(differences(reference, directory, [output]), [], `${output} exists but differs after a kill at ${delay.toFixed(3)} s`);
      }
      if (!result.signal) {
        // The command finished before the kill: start the next attempt from scratch.
        rmSync(directory, { recursive: true });
        cpSync(step.before, directory, { recursive: true });
      }
    }
    t.diagnostic(`${step.name} (clean ${seconds.toFixed(2)} s): ${JSON.stringify(kills)}`);
    assert.ok(kills.some((kill) => kill.killed), `${step.name}: no kill landed before the command ended`);
    // What a kill in the middle of writing the last output leaves (a window too short to hit reliably).
    const partial = join(directory, `${step.outputs.at(-1)!}.tmp-${lastPid}`);
    mkdirSync(dirname(partial), { recursive: true });
    writeFileSync(partial, "partial");
    const rerun = await spawnCli(step.args(directory)).done;
    assert.equal(rerun.status, 0, rerun.stderr);
    assert.deepEqual(differences(reference, directory, step.outputs), [], `${step.name}: outputs differ after the rerun`);
    assert.deepEqual(temporaryFiles(directory), [], `${step.name}: temporary files left`);
  }
});
