import { runIndexStage } from "./index-stage.js";
import { runPackStage } from "./pack-stage.js";
import { runRetrieveStage } from "./retrieve-stage.js";
import { RunDirectory } from "./run-directory.js";
import type { RunOptions } from "./run-options.js";
import { shardOfRun } from "./shard.js";
import type { StageContext, StageResult } from "./stage-runner.js";
import { runTaxonomyStage } from "./taxonomy-stage.js";
import { runTopicsStage } from "./topics-stage.js";

export type StageGroup = "index" | "topics" | "retrieve" | "pack";

/** The stages each command runs, in order; `run` runs them all. */
export const STAGES_OF: Record<StageGroup | "run", StageGroup[]> = {
  index: ["index"],
  topics: ["topics"],
  retrieve: ["retrieve"],
  pack: ["pack"],
  run: ["index", "topics", "retrieve", "pack"],
};

/** Creates the context stages share. */
export function stageContext(options: RunOptions, log: (line: string) => void): StageContext {
  return { run: new RunDirectory(options.out), force: options.force, log, shard: shardOfRun(options) };
}

/**
 * Runs the given stages in order; completed stages whose inputs and options did not change
 * are skipped. Returns what each stage did.
 */
export async function runStages(groups: readonly StageGroup[], options: RunOptions, log: (line: string) => void): Promise<StageResult[]> {
  const context = stageContext(options, log);
  const results: StageResult[] = [];
  for (const group of groups) {
    switch (group) {
      case "index":
        results.push(await runIndexStage(context, options));
        break;
      case "topics":
        results.push(await runTaxonomyStage(context, options));
        results.push(await runTopicsStage(context, options));
        break;
      case "retrieve":
        results.push(await runRetrieveStage(context, options));
        break;
      case "pack":
        results.push(await runPackStage(context, options));
        break;
    }
  }
  return results;
}
