import { createHash } from "node:crypto";
import type { ChartLibrary } from "./chart-library.js";
import { jsonForScriptElement } from "./escape-html.js";
import type { PageSection } from "./html-parts.js";
import { browserSection, dropsSection, nextLongSection, retrievalSection, reuseSection, samplesSection, underfilledSection } from "./output-sections.js";
import { debateSection, llmUsageSection, subjectsSection, summarySection } from "./overview-sections.js";
import { REPORT_CLIENT_SCRIPT } from "./report-client-script.js";
import { reportCharts } from "./report-charts.js";
import { REPORT_STYLES } from "./report-styles.js";
import type { RunReport } from "./run-report.js";
import { html, trustedHtml } from "./safe-html.js";

/**
 * The page's parts in order. A new part of a run (another stage, another output) gets a
 * function here that turns the report into a PageSection; the nav follows this list.
 */
export const REPORT_SECTIONS: ReadonlyArray<(report: RunReport) => PageSection> = [
  summarySection,
  subjectsSection,
  debateSection,
  llmUsageSection,
  retrievalSection,
  samplesSection,
  reuseSection,
  dropsSection,
  underfilledSection,
  nextLongSection,
  browserSection,
];

export interface RenderOptions {
  /** Written into a meta tag so a later run can tell whether the report is current. */
  fingerprint: string;
  /** Versions named in the footer. */
  litelongVersion: string;
}

/**
 * One self-contained HTML page: styles, uPlot and the page script inlined, the data embedded as
 * JSON in a non-executed script element. A Content-Security-Policy allows only these scripts
 * (by hash) and no network at all, so even a missed escape could neither run nor fetch anything.
 */
export function renderReportHtml(report: RunReport, library: ChartLibrary, options: RenderOptions): string {
  const sections = REPORT_SECTIONS.map((section) => section(report));
  const data = { run: { name: report.run.name, directory: report.run.directory }, charts: reportCharts(report), browser: report.browser };
  const scriptHashes = [library.script, REPORT_CLIENT_SCRIPT].map((script) => `'sha256-${createHash("sha256").update(script).digest("base64")}'`);
  const policy = `default-src 'none'; script-src ${scriptHashes.join(" ")}; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`;
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="litelong-report" content="${options.fingerprint}">
<title>litelong report: ${report.run.name}</title>
<style>${trustedHtml(library.styles)}</style>
<style>${trustedHtml(REPORT_STYLES)}</style>
</head>
<body>
<header class="page"><h1>litelong report: ${report.run.name}</h1><div class="sub">${report.run.directory}</div></header>
<nav>${sections.map((section) => html`<a href="#${section.id}">${section.title}</a>`)}</nav>
<main>
<noscript><p class="warn">Charts and the sample browser need JavaScript; the tables below do not.</p></noscript>
${sections.map((section) => html`<section class="part" id="${section.id}"><h2>${section.title}</h2>
${section.body}
</section>
`)}
<footer>litelong ${options.litelongVersion} · charts by ${library.name} ${library.version} · report fingerprint ${options.fingerprint}</footer>
</main>
<script type="application/json" id="report-data">${trustedHtml(jsonForScriptElement(data))}</script>
<script>${trustedHtml(library.script)}</script>
<script>${trustedHtml(REPORT_CLIENT_SCRIPT)}</script>
</body>
</html>
`;
  return page.text;
}
