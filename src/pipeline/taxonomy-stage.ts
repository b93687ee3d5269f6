import { inputFileDigest } from "../core/file-digest.js";
import { writeJsonLines } from "../core/jsonl-file.js";
import { hashValue } from "../core/stable-json.js";
import { loadTaxonomy, selectSubjects } from "../taxonomy/index.js";
import type { RunOptions } from "./run-options.js";
import { runStage, type StageContext, type StageResult } from "./stage-runner.js";
import { VERSIONS } from "./versions.js";

type TaxonomyOptions = Pick<RunOptions, "taxonomy" | "subjects" | "maxSubjects">;

/** Fingerprint of the subjects a run selects: taxonomy content, patterns and cap. */
export async function taxonomyFingerprint(options: TaxonomyOptions): Promise<string> {
  const source = options.taxonomy === "bisac" ? `bisac@${VERSIONS.litelong}` : await inputFileDigest(options.taxonomy, "bisac or a CSV, JSON, JSONL or parquet taxonomy file");
  return hashValue({ source, subjects: options.subjects, maxSubjects: options.maxSubjects ?? null });
}

/** Loads the taxonomy, selects subjects and writes subjects.jsonl. */
export async function runTaxonomyStage(context: StageContext, options: TaxonomyOptions): Promise<StageResult> {
  const fingerprint = await taxonomyFingerprint(options);
  const stageOptions = { taxonomy: options.taxonomy, subjects: options.subjects, maxSubjects: options.maxSubjects };
  return runStage(context, "taxonomy", stageOptions, fingerprint, [context.run.subjectsPath], async () => {
    const all = await loadTaxonomy(options.taxonomy);
    const selected = selectSubjects(all, options.subjects, options.maxSubjects);
    await writeJsonLines(context.run.subjectsPath, selected);
    return {
      counts: { subjectsInTaxonomy: all.length, subjects: selected.length, sections: new Set(selected.map((s) => s.section)).size },
      facts: { taxonomy: options.taxonomy },
    };
  });
}
