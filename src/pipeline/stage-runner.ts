import { dirname } from "node:path";
import { removeStaleTemporaries } from "../core/atomic-file.js";
import { CorruptFileError } from "../core/corrupt-file-error.js";
import { RunDirectoryError } from "../core/errors.js";
import { fileDigest } from "../core/file-digest.js";
import { hashValue } from "../core/stable-json.js";
import { allExist, type Manifest, type RunDirectory, type StageName, type StageRecord } from "./run-directory.js";
import { SHARDED_STAGES, shardLabel, type Shard } from "./shard.js";
import { VERSIONS } from "./versions.js";

/** What a stage reports when it finishes. */
export interface StageOutcome {
  counts: Record<string, number>;
  facts?: Record<string, string>;
}

export interface StageResult {
  stage: StageName;
  skipped: boolean;
  record: StageRecord;
}

export interface StageContext {
  run: RunDirectory;
  force: boolean;
  /** Human-facing notes (skipped records, warnings); goes to stderr in the CLI. */
  log: (line: string) => void;
  /** The part of the run the topics, retrieve and pack stages make (`--shard`); undefined for the whole run. */
  shard?: Shard;
}

/**
 * Checks a stage's outputs beyond the files runStage digests (e.g. a checksummed file they
 * point to); throws CorruptFileError when they are damaged.
 */
export type OutputCheck = () => Promise<void>;

/**
 * Runs a stage unless the manifest says it already completed with the same fingerprint and
 * its outputs are still there, intact: their digest is the one recorded and `check` passes.
 * Damaged outputs are reported through `log` and made again, never trusted. The fingerprint
 * covers the stage's options and its inputs' output digests (dependencyKey), so any change
 * upstream that changes what a stage reads redoes it, and nothing else does. Temporary files
 * a killed run left beside the outputs or the manifest are removed first.
 */
export async function runStage(
  context: StageContext,
  stage: StageName,
  stageOptions: Record<string, unknown>,
  fingerprint: string,
  outputs: string[],
  body: () => Promise<StageOutcome>,
  check?: OutputCheck,
): Promise<StageResult> {
  const { run } = context;
  const shard = context.shard !== undefined && SHARDED_STAGES.has(stage) ? context.shard : undefined;
  // A shard's outputs differ from the whole run's, so the shard is part of what the stage is made from.
  const madeFrom = shard ? hashValue({ fingerprint, shard: shardLabel(shard) }) : fingerprint;
  await run.ensure();
  for (const directory of new Set([run.root, ...outputs.map((path) => dirname(path))])) await removeStaleTemporaries(directory);
  const previous = (await run.readManifest())?.stages[stage];
  if (!context.force && previous?.fingerprint === madeFrom && (await allExist(outputs))) {
    const damage = await outputDamage(previous, outputs, check);
    if (damage === undefined) return { stage, skipped: true, record: previous };
    context.log(`${stage}: ${damage}; running the stage again`);
  }
  try {
    const shardRecord = shard && { index: shard.index, count: shard.count, unshardedFingerprint: fingerprint };
    return await runAndRecord(context, stage, stageOptions, madeFrom, outputs, body, shardRecord);
  } catch (error) {
    throw diskFullError(error, context.run, stage) ?? error;
  }
}

/** Runs the stage body, then records it done in the manifest with its outputs' digest. */
async function runAndRecord(
  context: StageContext,
  stage: StageName,
  stageOptions: Record<string, unknown>,
  fingerprint: string,
  outputs: string[],
  body: () => Promise<StageOutcome>,
  shard: StageRecord["shard"],
): Promise<StageResult> {
  const { run } = context;
  const startedAt = performance.now();
  const outcome = await body();
  const record: StageRecord = {
    status: "done",
    fingerprint,
    outputDigest: await digestFiles(outputs),
    finishedAt: new Date().toISOString(),
    seconds: Math.round((performance.now() - startedAt) / 10) / 100,
    options: stageOptions,
    counts: outcome.counts,
    facts: outcome.facts ?? {},
    ...(shard && { shard }),
  };
  const manifest: Manifest = (await run.readManifest()) ?? {
    format: "litelong-run",
    version: 1,
    versions: VERSIONS,
    configHash: "",
    config: {},
    stages: {},
  };
  manifest.versions = VERSIONS;
  manifest.stages[stage] = record;
  // The run's configuration is what its completed stages were made with.
  manifest.config = Object.assign({}, ...Object.values(manifest.stages).map((done) => done?.options ?? {}));
  manifest.configHash = hashValue(manifest.config);
  await run.writeManifest(manifest);
  return { stage, skipped: false, record };
}

const DISK_FULL_CODES = new Set(["ENOSPC", "EDQUOT"]);

/**
 * A full disk (or quota) anywhere in the stage, as an error that says what to do: the stage was
 * not recorded done, its temporary files are removed on the next run, and the stages before it
 * are kept, so freeing space and running the same command again resumes. Undefined for others.
 */
function diskFullError(error: unknown, run: RunDirectory, stage: StageName): RunDirectoryError | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code !== undefined && DISK_FULL_CODES.has(code)) {
      const what = code === "ENOSPC" ? "no space left on the device" : "disk quota exceeded";
      return new RunDirectoryError(
        `${run.root}: ${what} during the ${stage} stage (${cause.message}); completed stages are kept: free space and run the same command again to resume`,
        { cause: error },
      );
    }
  }
  return undefined;
}

/** Why the completed stage's outputs cannot be trusted, or undefined when they can. */
async function outputDamage(previous: StageRecord, outputs: string[], check: OutputCheck | undefined): Promise<string | undefined> {
  if (previous.outputDigest !== undefined && (await digestFiles(outputs)) !== previous.outputDigest) {
    return `${outputs.join(", ")} changed since the stage completed (truncated, corrupt or edited)`;
  }
  try {
    await check?.();
  } catch (error) {
    if (error instanceof CorruptFileError || (error as NodeJS.ErrnoException).code === "ENOENT") return (error as Error).message;
    throw error;
  }
  return undefined;
}

/** One digest over the given files' contents, in order: a stage record's outputDigest. */
export async function digestFiles(paths: string[]): Promise<string> {
  const digests: string[] = [];
  for (const path of paths) digests.push(await fileDigest(path));
  return hashValue(digests);
}
