import type { Manifest, StageName, StageRecord } from "../pipeline/run-directory.js";
import type { StageResult } from "../pipeline/stage-runner.js";

/** The counts shown per stage in the summary (the manifest has them all). */
const HEADLINE_COUNTS: Record<StageName, string[]> = {
  taxonomy: ["subjects", "sections"],
  topics: ["topics", "failedSubjects"],
  index: ["documents", "terms", "duplicateIds"],
  retrieve: ["topicsWithHits", "hits"],
  pack: ["samples", "tokens", "topicsWithSamples"],
};

/** Renders rows as an aligned plain-text table. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd();
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

/**
 * The end-of-command summary: what each stage did, how long it took, its headline counts;
 * then, when a model has replicas, what each replica did.
 */
export function formatStageSummary(results: StageResult[]): string {
  const rows = results.map(({ stage, skipped, record }) => [
    stage,
    skipped ? "skipped (complete)" : "ran",
    `${record.seconds.toFixed(2)} s`,
    HEADLINE_COUNTS[stage].filter((name) => name in record.counts).map((name) => `${name}=${record.counts[name]}`).join(" "),
  ]);
  const stages = formatTable(["stage", "status", "time", "counts"], rows);
  const replicas = results.flatMap(({ record }) => replicaRows(record));
  if (replicas.length === 0) return stages;
  return `${stages}\n\n${formatTable(["model", "replica", "requests", "failures", "backoffs", "prompt tokens", "completion tokens", "mean latency"], replicas)}`;
}

/** One row per replica the stage recorded (facts `llm.<model>.replica<n>` give their addresses). */
function replicaRows(record: StageRecord): string[][] {
  return Object.entries(record.facts).flatMap(([fact, address]) => {
    const model = /^llm\.(.+)\.replica\d+$/.exec(fact)?.[1];
    if (model === undefined) return [];
    const count = (field: string) => record.counts[`${fact}.${field}`] ?? 0;
    const latency = count("requests") > 0 ? `${((1000 * count("requestSeconds")) / count("requests")).toFixed(0)} ms` : "-";
    return [[model, address, ...["requests", "failures", "backoffs", "promptTokens", "completionTokens"].map((field) => String(count(field))), latency]];
  });
}

/** A manifest's stages as a table (for `inspect`). */
export function formatManifest(manifest: Manifest): string {
  const rows = Object.entries(manifest.stages).map(([stage, record]) => [
    // A shard run's split stages say which part they hold.
    record!.shard ? `${stage} (shard ${record!.shard.index}/${record!.shard.count})` : stage,
    record!.finishedAt,
    `${record!.seconds.toFixed(2)} s`,
    Object.entries(record!.counts).map(([name, value]) => `${name}=${value}`).join(" "),
  ]);
  const versions = Object.entries(manifest.versions).map(([name, version]) => `${name} ${version}`).join(", ");
  return `config ${manifest.configHash}; ${versions}\n${formatTable(["stage", "finished", "time", "counts"], rows)}`;
}
