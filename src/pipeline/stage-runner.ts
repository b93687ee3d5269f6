import { hashValue } from "../core/stable-json.js";
import { allExist, type Manifest, type RunDirectory, type StageName, type StageRecord } from "./run-directory.js";
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
}

/**
 * Runs a stage unless the manifest says it already completed with the same fingerprint and
 * its outputs are still there. The fingerprint covers the stage's options and its inputs'
 * fingerprints, so changing anything upstream redoes everything downstream.
 */
export async function runStage(
  context: StageContext,
  stage: StageName,
  stageOptions: Record<string, unknown>,
  fingerprint: string,
  outputs: string[],
  body: () => Promise<StageOutcome>,
): Promise<StageResult> {
  const { run } = context;
  await run.ensure();
  const previous = (await run.readManifest())?.stages[stage];
  if (!context.force && previous?.fingerprint === fingerprint && (await allExist(outputs))) {
    return { stage, skipped: true, record: previous };
  }
  const startedAt = performance.now();
  const outcome = await body();
  const record: StageRecord = {
    status: "done",
    fingerprint,
    finishedAt: new Date().toISOString(),
    seconds: Math.round((performance.now() - startedAt) / 10) / 100,
    options: stageOptions,
    counts: outcome.counts,
    facts: outcome.facts ?? {},
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
