import assert from "node:assert/strict";
import { cpSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { seededRandom } from "../core/seeded-random.js";
import { cacmJsonl, runCli, sharedAvailable, temporaryDirectory } from "../test-support/fixtures.js";
import { completedStages, differences, filesUnder, temporaryFiles } from "../test-support/run-files.js";
import { spawnCli } from "../test-support/spawn-cli.js";

/**
 * Issue 6, crash safety: SIGKILL the real CLI at seeded moments of the index, retrieve and pack
 * stages, rerun, and require the outputs of an uninterrupted run, byte for byte.
 */

const SUBJECT_FLAGS = ["--subjects", "COMPUTERS / Operating*", "--subjects", "COM051*"];
const PACK_FLAGS = ["--length", "2K", "--samples-per-topic", "2", "--workers", "0", "--format", "jsonl", "--format", "mds"];
const KILLS_PER_STAGE = 3;
const MAX_KILLS_PER_STAGE = 8;
const SEED = 20261128;

type KilledStage = "index" | "retrieve" | "pack";

/** The files each stage owns; a stage the manifest calls done must have exactly the reference's. */
const STAGE_FILES: Record<KilledStage | "taxonomy" | "topics", (root: string) => string[]> = {
  index: (root) => filesUnder(root, "index"),
  taxonomy: () => ["subjects.jsonl"],
  topics: () => ["topics/topics.jsonl"],
  retrieve: () => ["hits/hits.jsonl"],
  pack: (root) => filesUnder(root, "samples"),
};

/** Every output the issue names: subjects, topics, hits, the index and samples/**. */
function outputFiles(reference: string): string[] {
  return ["subjects.jsonl", "topics/topics.jsonl", "hits/hits.jsonl", ...filesUnder(reference, "index"), ...filesUnder(reference, "samples")];
}

interface Reference {
  root: string;
  corpus: string;
  /** Snapshot of the run directory just before each killed stage. */
  before: Record<KilledStage, string>;
  /** Seconds after spawn during which each stage works in `litelong run` from its snapshot. */
  window: Record<KilledStage, { from: number; to: number }>;
}

/** Builds the uninterrupted run one command at a time, keeping a snapshot before each killed stage. */
async function buildReference(base: string): Promise<Reference> {
  const corpus = cacmJsonl(base);
  const root = join(base, "reference");
  const before: Record<KilledStage, string> = { index: join(base, "empty"), retrieve: join(base, "before-retrieve"), pack: join(base, "before-pack") };
  mkdirSync(before.index);
  const commands: Array<[string, string[]]> = [["index", ["--corpus", corpus]], ["topics", SUBJECT_FLAGS], ["retrieve", []], ["pack", PACK_FLAGS]];
  for (const [command, flags] of commands) {
    if (command === "retrieve" || command === "pack") cpSync(root, before[command], { recursive: true });
    const result = await spawnCli([command, "--out", root, ...flags]).done;
    assert.equal(result.status, 0, result.stderr);
  }
  // A stage starts once the CLI has loaded and skipped the completed stages: time a command that does only that.
  const startedAt = performance.now();
  assert.equal((await spawnCli(["index", "--out", root, "--corpus", corpus]).done).status, 0);
  const startup = (performance.now() - startedAt) / 1000;
  const manifest = JSON.parse(readFileSync(join(root, "manifest.json"), "utf8")) as { stages: Record<KilledStage, { seconds: number }> };
  const window = (stage: KilledStage) => ({ from: Math.max(0, startup - 0.1), to: startup + manifest.stages[stage].seconds });
  return { root, corpus, before, window: { index: window("index"), retrieve: window("retrieve"), pack: window("pack") } };
}

interface KillReport {
  delay: number;
  /** False when the run ended before the kill. */
  killed: boolean;
  /** Whether the killed stage was recorded done (the kill came after it). */
  stageDone: boolean;
  /** Temporary files the kill left behind. */
  temporaryFiles: string[];
}

/** Kills `litelong run` at `delay` seconds; checks no stage is recorded done without its exact outputs. */
async function runAndKill(reference: Reference, directory: string, stage: KilledStage, delay: number): Promise<KillReport> {
  const spawned = spawnCli(["run", "--out", directory, "--corpus", reference.corpus, ...SUBJECT_FLAGS, ...PACK_FLAGS]);
  const timer = setTimeout(() => spawned.child.kill("SIGKILL"), delay * 1000);
  const result = await spawned.done;
  clearTimeout(timer);
  const done = completedStages(directory);
  for (const completed of done) {
    const paths = STAGE_FILES[completed as keyof typeof STAGE_FILES](reference.root);
    assert.deepEqual(differences(reference.root, directory, paths), [], `${completed} is recorded done after a kill at ${delay.toFixed(3)} s`);
  }
  return { delay: Number(delay.toFixed(3)), killed: result.signal === "SIGKILL", stageDone: done.includes(stage), temporaryFiles: temporaryFiles(directory) };
}

test("SIGKILL during index, retrieve or pack, then a rerun: outputs identical to an uninterrupted run", { skip: !sharedAvailable() && "needs ../shared", timeout: 180_000 }, async (t) => {
  const base = temporaryDirectory("litelong-crash-");
  const reference = await buildReference(base);
  const random = seededRandom(SEED);
  const expectedFiles = outputFiles(reference.root);
  const rerunDirectories: string[] = [];
  for (const stage of ["index", "retrieve", "pack"] as const) {
    const directory = join(base, `killed-${stage}`);
    cpSync(reference.before[stage], directory, { recursive: true });
    const { from } = reference.window[stage];
    let { to } = reference.window[stage];
    const kills: KillReport[] = [];
    // Each kill resumes what the previous one left, unless that one came after the stage: then start
    // over, and aim earlier (a stage of a fraction of a second is easily overshot), with a few more tries.
    for (let n = 0; n < KILLS_PER_STAGE || (n < MAX_KILLS_PER_STAGE && !kills.some((kill) => kill.killed && !kill.stageDone)); n++) {
      const kill = await runAndKill(reference, directory, stage, from + random() * (to - from));
      kills.push(kill);
      if (kill.stageDone || !kill.killed) {
        to = Math.max(from, kill.delay);
        rmSync(directory, { recursive: true });
        cpSync(reference.before[stage], directory, { recursive: true });
      }
    }
    t.diagnostic(`${stage} window ${from.toFixed(2)}-${to.toFixed(2)} s: ${JSON.stringify(kills)}`);
    assert.ok(kills.some((kill) => kill.killed && !kill.stageDone), `${stage}: no kill landed before the stage completed`);

    const rerun = runCli(["run", "--out", directory, "--corpus", reference.corpus, ...SUBJECT_FLAGS, ...PACK_FLAGS]);
    assert.equal(rerun.status, 0, rerun.stderr);
    assert.deepEqual(differences(reference.root, directory, expectedFiles), [], `${stage}: outputs differ after the rerun`);
    assert.deepEqual(filesUnder(directory, "samples"), filesUnder(reference.root, "samples"));
    assert.deepEqual(temporaryFiles(directory), []);
    rerunDirectories.push(directory);
  }
  // The reruns' outputs are byte-identical, so verifying the last (killed during pack) covers all three.
  const verify = runCli(["verify", rerunDirectories.at(-1)!]);
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  assert.match(verify.stdout, /^78 samples, 159744 tokens, 0 violations$/m);
});
