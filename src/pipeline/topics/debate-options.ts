import { z } from "zod";

export { modelsConfigSchema, type ModelsConfig } from "../../llm/model-config.js";

export const RETENTION_STRATEGIES = ["filter-reject", "keep-accept", "keep-fixed-k", "single"] as const;
export type RetentionStrategy = (typeof RETENTION_STRATEGIES)[number];

const modelName = z.string().min(1);

/**
 * The `debate:` key of a config file: which configured models debate, who judges, and what is
 * kept. Cross-checks against `models:` (names exist, enough debaters) happen when the topics
 * stage starts, with every problem reported at once.
 */
export const debateOptionsSchema = z.strictObject({
  /** Models that propose topics and critique each other's lists: two or more (one for `single`). */
  debaters: z.array(modelName).min(1),
  /** Model that decides which candidates to remove; required by filter-reject. */
  judge: modelName.optional(),
  /**
   * filter-reject (default): all candidates minus the judge's removals; keep-accept: what its
   * critics accepted (a majority of them); keep-fixed-k: the k most accepted; single: the first
   * debater alone proposes k topics, all kept (no critique, no judge).
   */
  retention: z.enum(RETENTION_STRATEGIES).default("filter-reject"),
  /**
   * k, the topics wanted per subject (each debater proposes 2k), or "expansion-factor" (default):
   * the subject's expansion_factor from the taxonomy, 10 when it has none.
   */
  topicsPerSubject: z.union([z.number().int().min(1).max(200), z.literal("expansion-factor")]).default("expansion-factor"),
  /** Sampling temperature of every call. Default 0.6 (the paper's). */
  temperature: z.number().min(0).max(2).default(0.6),
  /** Nucleus sampling of every call. Default 0.95 (the paper's). */
  topP: z.number().gt(0).max(1).default(0.95),
  /** Times a reply that cannot be read is asked for again before the subject fails. Default 2. */
  maxReasks: z.number().int().min(0).max(10).default(2),
  /** Subjects debated at once; the models' maxConcurrency limits the calls. Default 64. */
  subjectsInFlight: z.number().int().min(1).max(100_000).default(64),
  /** Directory with your own propose.md / critique.md / judge.md / reask.md (each optional). */
  prompts: z.string().min(1).optional(),
});
export type DebateOptions = z.infer<typeof debateOptionsSchema>;

/** k for a subject: the configured count, or its expansion_factor (10 when it has none). */
export function topicsWanted(options: Pick<DebateOptions, "topicsPerSubject">, subjectTopicsWanted: number | undefined): number {
  if (options.topicsPerSubject !== "expansion-factor") return options.topicsPerSubject;
  return subjectTopicsWanted ?? 10;
}

/** Problems of a debate configuration against the configured models (empty when fine). */
export function debateConfigProblems(debate: DebateOptions, modelNames: readonly string[]): string[] {
  const problems: string[] = [];
  const known = new Set(modelNames);
  const unknown = [...debate.debaters, ...(debate.judge ? [debate.judge] : [])].filter((name) => !known.has(name));
  for (const name of new Set(unknown)) problems.push(`debate: model "${name}" is not configured under models (configured: ${modelNames.join(", ") || "none"})`);
  if (new Set(debate.debaters).size !== debate.debaters.length) problems.push("debate.debaters: each model may debate once");
  if (debate.retention !== "single" && debate.debaters.length < 2) problems.push(`debate.debaters: ${debate.retention} needs two or more debaters (or use retention: single)`);
  if (debate.retention === "filter-reject" && !debate.judge) problems.push("debate.judge: filter-reject needs a judge model");
  return problems;
}
