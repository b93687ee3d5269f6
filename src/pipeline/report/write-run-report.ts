import { open } from "node:fs/promises";
import { dirname, join } from "node:path";
import { removeStaleTemporaries, writeFileAtomic } from "../../core/atomic-file.js";
import { hashValue } from "../../core/stable-json.js";
import { RunDirectory } from "../run-directory.js";
import { VERSIONS } from "../versions.js";
import { loadChartLibrary } from "./chart-library.js";
import { collectRunReport, type CollectReportOptions } from "./collect-run-report.js";
import { renderReportHtml } from "./render-report-html.js";
import { REPORT_CLIENT_SCRIPT } from "./report-client-script.js";
import { REPORT_STYLES } from "./report-styles.js";
import { RUN_REPORT_FORMAT, type RunReport } from "./run-report.js";

export interface WriteReportOptions extends CollectReportOptions {
  /** Where to write the page. Default <runDir>/report.html. */
  out?: string;
  /**
   * Leave the page alone when it was made from the same manifest with the same report version
   * and options (what `litelong run` does, so a rerun does no work). Default false.
   */
  skipWhenCurrent?: boolean;
}

export interface WriteReportResult {
  path: string;
  /** False when skipWhenCurrent found the page current. */
  written: boolean;
  bytes: number;
  /** The statistics, when they were collected. */
  report?: RunReport;
}

/**
 * Collects a run's statistics and writes the HTML report atomically. The bytes depend only on
 * the run directory, the options and the versions: no clock reading, so the same run gives the
 * same file.
 */
export async function writeRunReport(root: string, options: WriteReportOptions = {}): Promise<WriteReportResult> {
  const run = new RunDirectory(root);
  const path = options.out ?? join(run.root, "report.html");
  const fingerprint = await reportFingerprint(run, options);
  if (options.skipWhenCurrent) {
    const existing = await readReportFingerprint(path);
    if (existing?.fingerprint === fingerprint) return { path, written: false, bytes: existing.bytes };
  }
  const report = await collectRunReport(root, options);
  const library = await loadChartLibrary();
  const page = renderReportHtml(report, library, { fingerprint, litelongVersion: VERSIONS.litelong ?? "unknown" });
  // A report command killed mid-write left its temporary page; nothing else would remove it.
  await removeStaleTemporaries(dirname(path));
  await writeFileAtomic(path, page);
  return { path, written: true, bytes: Buffer.byteLength(page), report };
}

/** What the page is made from: the manifest (every stage's fingerprint and time), options, versions. */
async function reportFingerprint(run: RunDirectory, options: CollectReportOptions): Promise<string> {
  const manifest = await run.readManifest();
  const library = await loadChartLibrary();
  return hashValue({
    report: RUN_REPORT_FORMAT,
    litelong: VERSIONS.litelong,
    chartLibrary: library.version,
    page: hashValue([REPORT_CLIENT_SCRIPT, REPORT_STYLES]),
    stages: manifest?.stages ?? {},
    root: run.root,
    options: { embedding: options.embedding, trackedIds: options.trackedIds },
  });
}

/** The fingerprint meta tag near the top of an existing page, without reading the whole page. */
async function readReportFingerprint(path: string): Promise<{ fingerprint: string; bytes: number } | undefined> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch {
    return undefined;
  }
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const match = /<meta name="litelong-report" content="([0-9a-f]+)">/.exec(head.subarray(0, bytesRead).toString("utf8"));
    return match ? { fingerprint: match[1]!, bytes: (await handle.stat()).size } : undefined;
  } finally {
    await handle.close();
  }
}
