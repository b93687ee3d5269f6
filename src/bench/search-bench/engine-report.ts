import type { MatchMode } from "../../search/search-engine.js";
import type { BuildCost, QueryRun } from "./search-peer.js";

/** One timed pass, reduced to what the report shows. */
export interface RunSummary {
  match: MatchMode;
  k: number;
  /** Queries the pass answered (fewer than asked when it ran out of time). */
  answered: number;
  queriesPerSecond: number;
  p50Milliseconds: number;
  p95Milliseconds: number;
  meanHits: number;
}

export interface BuildSummary extends BuildCost {
  megabytesPerSecondPerCore: number;
  documentsPerSecondPerCore: number;
  megabytesPerCpuSecond: number;
  /** Index bytes / corpus bytes. */
  indexShare: number;
}

export interface EngineResult {
  name: string;
  version?: string;
  /** Why the engine did not run, when it did not. */
  skipped?: string;
  build?: BuildSummary;
  runs: RunSummary[];
  /** litelong only: queries/s of one searchMany call per pass, keyed "all@100" etc. */
  batchQueriesPerSecond?: Record<string, number>;
  /** Mean top-100 overlap with litelong's hits per mode (see topOverlap). */
  overlapWithOurs?: Partial<Record<MatchMode, number>>;
}

export function summarizeBuild(cost: BuildCost, corpus: { bytes: number; documents: number }): BuildSummary {
  const coreSeconds = cost.seconds * cost.indexingThreads;
  return {
    seconds: cost.seconds,
    cpuSeconds: cost.cpuSeconds,
    indexBytes: cost.indexBytes,
    peakRssBytes: cost.peakRssBytes,
    indexingThreads: cost.indexingThreads,
    megabytesPerSecondPerCore: corpus.bytes / 1e6 / coreSeconds,
    documentsPerSecondPerCore: corpus.documents / coreSeconds,
    megabytesPerCpuSecond: corpus.bytes / 1e6 / cost.cpuSeconds,
    indexShare: cost.indexBytes / corpus.bytes,
  };
}

export function summarizeRun(run: QueryRun, match: MatchMode, k: number): RunSummary {
  const sorted = run.latencies.slice().sort((a, b) => a - b);
  return {
    match,
    k,
    answered: run.latencies.length,
    queriesPerSecond: run.latencies.length / run.seconds,
    p50Milliseconds: percentile(sorted, 0.5),
    p95Milliseconds: percentile(sorted, 0.95),
    meanHits: run.ids.length === 0 ? 0 : run.ids.reduce((sum, ids) => sum + ids.length, 0) / run.ids.length,
  };
}

/** Nearest-rank percentile of ascending values (0 for none). */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}

/**
 * Mean over queries both engines answered, and where either found something, of
 * |ours ∩ theirs| / max(|ours|, |theirs|): 1 means the same top-k set (order ignored).
 */
export function topOverlap(ours: readonly string[][], theirs: readonly string[][]): number {
  let sum = 0;
  let counted = 0;
  for (let index = 0; index < Math.min(ours.length, theirs.length); index++) {
    const a = ours[index]!;
    const b = theirs[index]!;
    const larger = Math.max(a.length, b.length);
    if (larger === 0) continue;
    const inA = new Set(a);
    sum += b.filter((id) => inA.has(id)).length / larger;
    counted++;
  }
  return counted === 0 ? 0 : sum / counted;
}

/** Ours ÷ peer for every build and query measure the two engines share. */
export function ratiosOf(ours: EngineResult, peer: EngineResult): Record<string, number> {
  const ratios: Record<string, number> = {};
  if (ours.build && peer.build) {
    ratios.indexingPerCore = ours.build.megabytesPerSecondPerCore / peer.build.megabytesPerSecondPerCore;
    ratios.indexingPerCpuSecond = ours.build.megabytesPerCpuSecond / peer.build.megabytesPerCpuSecond;
    ratios.indexBytes = ours.build.indexBytes / peer.build.indexBytes;
    ratios.peakRss = ours.build.peakRssBytes / peer.build.peakRssBytes;
  }
  for (const run of ours.runs) {
    const other = peer.runs.find((candidate) => candidate.match === run.match && candidate.k === run.k);
    if (!other) continue;
    const key = `${run.match}@${run.k}`;
    ratios[`${key}.queriesPerSecond`] = run.queriesPerSecond / other.queriesPerSecond;
    ratios[`${key}.p50`] = run.p50Milliseconds / other.p50Milliseconds;
    ratios[`${key}.p95`] = run.p95Milliseconds / other.p95Milliseconds;
  }
  return ratios;
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);
const megabytes = (bytes: number) => fixed(bytes / 1e6, 0);

/** The human-readable tables: builds, query passes, then litelong ÷ each peer. */
export function formatReport(engines: readonly EngineResult[]): string {
  const lines: string[] = [];
  lines.push("engine     build s  threads  MB/s/core  docs/s/core  MB/CPU-s  index/corpus  index MB  peak RSS MB");
  for (const engine of engines) {
    if (engine.skipped) {
      lines.push(`${engine.name.padEnd(10)} skipped: ${engine.skipped}`);
      continue;
    }
    const build = engine.build!;
    lines.push(`${engine.name.padEnd(10)} ${fixed(build.seconds).padStart(7)}  ${String(build.indexingThreads).padStart(7)}  ${fixed(build.megabytesPerSecondPerCore, 2).padStart(9)}  ${fixed(build.documentsPerSecondPerCore, 0).padStart(11)}  ${fixed(build.megabytesPerCpuSecond, 2).padStart(8)}  ${fixed(build.indexShare, 3).padStart(12)}  ${megabytes(build.indexBytes).padStart(8)}  ${megabytes(build.peakRssBytes).padStart(11)}`);
  }
  lines.push("", "engine     match   k      q/s   p50 ms   p95 ms  mean hits  answered  top-100 overlap with litelong");
  for (const engine of engines.filter((candidate) => !candidate.skipped)) {
    for (const run of engine.runs) {
      const overlap = run.k === 100 && engine.overlapWithOurs?.[run.match] !== undefined ? fixed(engine.overlapWithOurs[run.match]!, 3) : "";
      lines.push(`${engine.name.padEnd(10)} ${run.match.padEnd(5)} ${String(run.k).padStart(4)} ${fixed(run.queriesPerSecond).padStart(8)} ${fixed(run.p50Milliseconds, 2).padStart(8)} ${fixed(run.p95Milliseconds, 2).padStart(8)} ${fixed(run.meanHits).padStart(10)} ${String(run.answered).padStart(9)}  ${overlap}`);
    }
    for (const [key, queriesPerSecond] of Object.entries(engine.batchQueriesPerSecond ?? {})) {
      lines.push(`${(engine.name + " batch").padEnd(16)} ${key.padEnd(9)} ${fixed(queriesPerSecond).padStart(8)} q/s (searchMany)`);
    }
  }
  const ours = engines.find((engine) => engine.name === "litelong");
  if (ours?.build) {
    lines.push("", "litelong ÷ peer (throughput: >1 = ours faster; bytes, RSS and latency: <1 = ours smaller/faster)");
    for (const peer of engines.filter((engine) => engine !== ours && engine.build)) {
      const ratios = Object.entries(ratiosOf(ours, peer)).map(([key, value]) => `${key} ${fixed(value, 2)}`);
      lines.push(`  vs ${peer.name}: ${ratios.join(", ")}`);
    }
  }
  return lines.join("\n");
}
