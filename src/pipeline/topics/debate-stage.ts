import { stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { writeFileAtomic } from "../../core/atomic-file.js";
import { ConfigError } from "../../core/errors.js";
import { readAllJsonLines, writeJsonLines } from "../../core/jsonl-file.js";
import { startProgress } from "../../core/progress.js";
import { subjectSchema } from "../../core/record-schemas.js";
import { hashValue } from "../../core/stable-json.js";
import { isGgufModel, type ModelConfig, type ModelsConfig } from "../../llm/model-config.js";
import { replicaFacts, usageCounts } from "../../llm/model-usage.js";
import { openModelClients } from "../../llm/open-model-clients.js";
import { ResponseCache } from "../../llm/response-cache.js";
import { dependencyKey, type StageRecord } from "../run-directory.js";
import { runStage, type StageContext, type StageResult } from "../stage-runner.js";
import { debateConfigProblems, type DebateOptions } from "./debate-options.js";
import { loadPromptTemplates, templatesDigest } from "./prompt-templates.js";
import { runDebate } from "./run-debate.js";

/** Bumped when the debate's logic changes what it produces from the same replies. */
const DEBATE_METHOD_VERSION = 1;

/** Files the debate keeps in the run's topics/ folder besides topics.jsonl. */
export function debateFiles(runRoot: string) {
  const directory = join(runRoot, "topics");
  return { cache: join(directory, "llm-cache.jsonl"), log: join(directory, "debate.jsonl"), usage: join(directory, "usage.json") };
}

/**
 * The topics stage when `debate` is configured: every selected subject through the debate,
 * calls cached in topics/llm-cache.jsonl (so a crashed or repeated run pays for no call twice),
 * topics.jsonl with full provenance, debate.jsonl with each subject's calls and failures.
 * A run that left subjects failed is redone by the next run (only the failed calls are paid).
 */
export async function runDebateTopics(context: StageContext, taxonomy: StageRecord, models: ModelsConfig, debate: DebateOptions): Promise<StageResult> {
  const { run } = context;
  const problems = debateConfigProblems(debate, Object.keys(models));
  if (problems.length > 0) throw new ConfigError(problems);
  const used = [...new Set([...debate.debaters, ...(debate.judge && debate.retention === "filter-reject" ? [debate.judge] : [])])];
  const templates = await loadPromptTemplates(debate.prompts);
  const specs = Object.fromEntries(await Promise.all(used.map(async (name) => [name, await resultShapingSpec(models[name]!)] as const)));
  // How many subjects run at once and where templates live change no result (their text does).
  const shaping = { ...debate, subjectsInFlight: undefined, prompts: undefined };
  const inputFingerprint = hashValue({ taxonomy: dependencyKey(taxonomy), debate: shaping, models: specs, templates: templatesDigest(templates), method: DEBATE_METHOD_VERSION });
  const fingerprint = stageFingerprint(inputFingerprint, (await run.readManifest())?.stages.topics);
  const stageOptions = { topics: "debate", debate, models: Object.fromEntries(used.map((name) => [name, models[name]!])) };
  const files = debateFiles(run.root);
  return runStage(context, "topics", stageOptions, fingerprint, [run.topicsPath, files.log], async () => {
    const subjects = await readAllJsonLines(run.subjectsPath, subjectSchema);
    const cache = await ResponseCache.open(files.cache);
    const progress = startProgress({ label: "debate", total: subjects.length, unit: "subjects" });
    try {
      const clients = await openModelClients(models, used, { cache });
      try {
        const result = await runDebate(subjects, { options: debate, templates, client: clients.get, maxTokens: (name) => models[name]!.maxTokens }, () => progress.advance());
        const usage = clients.usage();
        await writeJsonLines(files.log, result.logs);
        await writeFileAtomic(files.usage, JSON.stringify(usage, null, 2) + "\n");
        await writeJsonLines(run.topicsPath, result.topics);
        const failed = result.counts.failedSubjects ?? 0;
        if (failed > 0) context.log(`${failed} of ${subjects.length} subjects failed (see ${files.log}); the next run retries them, answered calls come from the cache`);
        return {
          counts: { ...result.counts, ...usageCounts(usage), cachedReplies: cache.size, damagedCacheLines: cache.damagedLines },
          facts: { topicSource: "debate", retention: debate.retention, debaters: debate.debaters.join(","), judge: debate.judge ?? "", inputFingerprint, ...replicaFacts(usage) },
        };
      } finally {
        await clients.close();
      }
    } finally {
      progress.stop();
      await cache.close();
    }
  });
}

/**
 * The same inputs keep the recorded fingerprint (the stage is skipped), unless that run left
 * subjects failed: then a new fingerprint makes this run retry them and redo what depends on it.
 */
function stageFingerprint(inputFingerprint: string, previous: StageRecord | undefined): string {
  if (previous?.facts.inputFingerprint !== inputFingerprint) return inputFingerprint;
  return (previous.counts.failedSubjects ?? 0) > 0 ? hashValue({ inputFingerprint, retryOf: previous.fingerprint }) : previous.fingerprint;
}

/** What of a model's configuration shapes its replies (not addresses, limits, timeouts or key names). */
async function resultShapingSpec(config: ModelConfig): Promise<Record<string, unknown>> {
  if (!isGgufModel(config)) return { provider: "openai-compatible", model: config.model, structuredOutput: config.structuredOutput, maxTokens: config.maxTokens };
  const path = resolve(config.gguf);
  const size = await stat(path).then((stats) => stats.size, () => -1);
  return { provider: "llama-cpp", file: basename(path), size, contextSize: config.contextSize, seed: config.seed, maxTokens: config.maxTokens };
}
