import { relative } from "node:path";
import { z } from "zod";
import { ConfigError } from "../core/errors.js";
import { collectRunReport, reportStatistics } from "../pipeline/report/collect-run-report.js";
import { DEFAULT_EMBEDDING_BUDGET, type EmbeddingBudget } from "../pipeline/report/collect-sample-statistics.js";
import { writeRunReport } from "../pipeline/report/write-run-report.js";

const reportFlagsSchema = z.object({
  out: z.string().min(1).optional(),
  json: z.boolean().optional(),
  sampleText: z
    .string()
    .regex(/^\d+$/, "expected a whole number of characters")
    .transform(Number)
    .optional(),
});

/** Flags of `litelong report`, as commander hands them over. */
export type ReportFlags = z.input<typeof reportFlagsSchema>;

/**
 * `litelong report <runDir> [--out file] [--json] [--sample-text N]`: writes the HTML report
 * (default <runDir>/report.html), or with --json returns the statistics as JSON instead.
 * Returns the text to print.
 */
export async function reportCommand(runDirectory: string, flags: ReportFlags): Promise<string> {
  const parsed = reportFlagsSchema.safeParse(flags);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `--${kebab(String(issue.path[0] ?? ""))}: ${issue.message}`));
  const { out, json, sampleText } = parsed.data;
  const embedding = sampleText === undefined ? undefined : sampleTextBudget(sampleText);
  if (json) return JSON.stringify(reportStatistics(await collectRunReport(runDirectory, { embedding })), null, 2);
  const result = await writeRunReport(runDirectory, { out, embedding });
  const { summary, browser } = result.report!;
  const { full, excerpts, none, topicsNotListed } = browser.embedding;
  const embedded = `${full} in full, ${excerpts} as excerpts, ${none} as ids only${topicsNotListed > 0 ? `; ${topicsNotListed} topics not listed` : ""}`;
  return `wrote ${displayPath(result.path)} (${(result.bytes / 1e6).toFixed(2)} MB): ${summary.samples} samples of ${browser.topics.length} topics; embedded ${embedded}`;
}

/** `--sample-text N`: N characters of full sample text, excerpts within the same cap. */
export function sampleTextBudget(characters: number): EmbeddingBudget {
  return { ...DEFAULT_EMBEDDING_BUDGET, fullText: characters, excerpts: Math.min(DEFAULT_EMBEDDING_BUDGET.excerpts, characters) };
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/**
 * The report at the end of `litelong run`: <runDir>/report.html, left alone when it is current
 * (so a rerun that skips every stage does no work). Returns the line to log.
 */
export async function reportAfterRun(runDirectory: string): Promise<string> {
  const result = await writeRunReport(runDirectory, { skipWhenCurrent: true });
  const where = displayPath(result.path);
  return result.written ? `report: wrote ${where} (${(result.bytes / 1e6).toFixed(2)} MB)` : `report: ${where} is current`;
}

/** Relative to the working directory when inside it, else absolute. */
function displayPath(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown === "" || shown.startsWith("..") ? path : shown;
}
