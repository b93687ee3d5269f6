import { formatNumber } from "./format-number.js";
import { absent, chartBox, figuresTable, table, type PageSection } from "./html-parts.js";
import type { DropReason, NextLongPart, RunReport, SampleSpanCounts, UnderfilledTopic } from "./run-report.js";
import { html, type SafeHtml } from "./safe-html.js";

/** Rows of the underfilled-topics table the page shows; the JSON has them all. */
export const UNDERFILLED_ROWS_SHOWN = 1000;

/** Hits per topic and the BM25 score distribution. */
export function retrievalSection(report: RunReport): PageSection {
  const { hits, summary } = report;
  const withHits = hits.perTopicRanked.length;
  const line = html`<p>${formatNumber(summary.hits)} hits; ${formatNumber(withHits)} of ${formatNumber(summary.topicsKept)} kept topics have at least one.
Scores: minimum ${formatNumber(hits.scoreMinimum)}, mean ${formatNumber(hits.scoreMean)}, maximum ${formatNumber(hits.scoreMaximum)}.</p>`;
  const body = html`${line}<div class="grid">${chartBox("hitsPerTopic", "Hits per topic (topics with hits)")}${chartBox("hitsRanked", "Hits per topic, topics ranked (one point per topic; drag to zoom)")}${chartBox("scores", "Retrieval score distribution (BM25)")}</div>`;
  return { id: "retrieval", title: "Retrieval", body };
}

/** Sample lengths (one bar at N when packing is right), documents per sample, token mix. */
export function samplesSection(report: RunReport): PageSection {
  const { summary, samples } = report;
  const body = html`${lengthVerdict(report)}${summary.shortSamples > 0 ? html`<p class="note">${formatNumber(summary.shortSamples)} samples are flagged short (a topic's single shorter sample).</p>` : ""}
<div class="grid">${chartBox("sampleLengths", "Sample length (tokens)")}${chartBox("documentsPerSample", "Documents per sample")}${chartBox("tokenMix", "Token mix per section (the MDS domain)")}</div>
${samples.documentsPerSample.labels.length === 0 ? "" : html`<p class="note">A document cut at a sample boundary counts in both samples.</p>`}`;
  return { id: "samples", title: "Samples", body };
}

function lengthVerdict(report: RunReport): SafeHtml {
  const { lengths } = report.samples;
  const { length, samples } = report.summary;
  if (samples === 0) return absent("no samples in this run");
  if (lengths.labels.length === 1 && lengths.labels[0] === String(length)) return html`<p class="ok">Every sample is exactly ${formatNumber(length)} tokens (${formatNumber(samples)} samples).</p>`;
  return html`<p class="warn">Sample lengths vary: ${lengths.labels.length} different lengths for a target of ${formatNumber(length)} tokens.</p>`;
}

/** How often the same document serves several topics. */
export function reuseSection(report: RunReport): PageSection {
  const { reuse } = report;
  const truncated = reuse.truncatedAfter === undefined ? "" : html`<p class="warn">Partial: only the first ${formatNumber(reuse.truncatedAfter)} distinct documents are tracked.</p>`;
  const body = html`<p class="note">Bar 1 = documents only one topic used; further bars = documents shared by that many topics (repeated training text).</p>${truncated}
<div class="grid">${chartBox("retrievedReuse", "Documents by number of topics that retrieved them")}${chartBox("packedReuse", "Documents by number of topics whose samples contain them")}</div>`;
  return { id: "reuse", title: "Document reuse", body };
}

/** Every drop and skip count of every stage. */
export function dropsSection(report: RunReport): PageSection {
  if (report.drops.length === 0) return { id: "drops", title: "Drops & skips", body: absent("no stage recorded drops or skips") };
  const body = table<DropReason>(
    [
      { heading: "stage", cell: (drop) => drop.stage },
      { heading: "reason", cell: (drop) => html`<code>${drop.key}</code>` },
      { heading: "count", cell: (drop) => drop.count, numeric: true },
      { heading: "meaning", cell: (drop) => drop.meaning },
    ],
    report.drops,
  );
  return { id: "drops", title: "Drops & skips", body };
}

/** Kept topics that produced fewer samples than allowed, with why. */
export function underfilledSection(report: RunReport): PageSection {
  const { underfilled } = report;
  if (report.summary.samples === 0 && underfilled.length === 0) return { id: "underfilled", title: "Underfilled topics", body: absent("not in this run: the pack stage has not run") };
  if (underfilled.length === 0) return { id: "underfilled", title: "Underfilled topics", body: html`<p class="ok">Every kept topic got all its samples.</p>` };
  const shown = underfilled.slice(0, UNDERFILLED_ROWS_SHOWN);
  const rows = table<UnderfilledTopic>(
    [
      { heading: "topic", cell: (topic) => topic.text },
      { heading: "id", cell: (topic) => html`<code>${topic.topicId}</code>` },
      { heading: "section", cell: (topic) => topic.section },
      { heading: "hits", cell: (topic) => topic.hits, numeric: true },
      { heading: "samples", cell: (topic) => topic.samples, numeric: true },
      { heading: "why", cell: (topic) => topic.reason },
    ],
    shown,
  );
  const cap = underfilled.length > shown.length ? html`<p class="note">Showing the first ${formatNumber(shown.length)} of ${formatNumber(underfilled.length)}; <code>litelong report --json</code> lists all.</p>` : "";
  const withoutSamples = underfilled.filter((topic) => topic.samples === 0).length;
  return {
    id: "underfilled",
    title: "Underfilled topics",
    body: html`<p>${formatNumber(underfilled.length)} kept topics got fewer samples than allowed; ${formatNumber(withoutSamples)} got none.</p>${cap}<div class="scroll">${rows}</div>`,
  };
}

/** Rows of the per-sample span table the page shows; the JSON has them all. */
export const SPAN_ROWS_SHOWN = 1000;

/** NExtLong hard negatives: the stages' figures, then span counts per sample and in total (negatives are also marked in the sample browser). */
export function nextLongSection(report: RunReport): PageSection {
  const { nextLong } = report;
  if (!nextLong.present) return { id: "nextlong", title: "NExtLong negatives", body: absent(nextLong.note) };
  return { id: "nextlong", title: "NExtLong negatives", body: html`${figuresTable(nextLong.figures)}${spanTable(nextLong)}` };
}

function spanTable({ samples, totals }: NextLongPart): SafeHtml | string {
  if (samples.length === 0) return "";
  const share = (negative: number, positive: number) => (negative + positive === 0 ? "" : `${((100 * negative) / (negative + positive)).toFixed(1)} %`);
  const shown = samples.slice(0, SPAN_ROWS_SHOWN);
  const rows = table<SampleSpanCounts>(
    [
      { heading: "sample", cell: (row) => html`<code>${row.sampleId}</code>` },
      { heading: "topic", cell: (row) => html`<code>${row.topicId}</code>` },
      { heading: "positive spans", cell: (row) => row.positives, numeric: true },
      { heading: "negative spans", cell: (row) => row.negatives, numeric: true },
      { heading: "positive tokens", cell: (row) => row.positiveTokens, numeric: true },
      { heading: "negative tokens", cell: (row) => row.negativeTokens, numeric: true },
      { heading: "negative token share", cell: (row) => share(row.negativeTokens, row.positiveTokens), numeric: true },
    ],
    shown,
  );
  const cap = samples.length > shown.length ? html`<p class="note">Showing the first ${formatNumber(shown.length)} of ${formatNumber(samples.length)} samples; <code>litelong report --json</code> lists all.</p>` : "";
  return html`<h3>Spans per sample</h3>
<p>${formatNumber(totals.samples)} samples: ${formatNumber(totals.positives)} positive spans (${formatNumber(totals.positiveTokens)} tokens), ${formatNumber(totals.negatives)} negative spans (${formatNumber(totals.negativeTokens)} tokens); negative token share ${share(totals.negativeTokens, totals.positiveTokens)}.</p>
<p class="note">A chunk cut at a sample boundary counts as a span in both samples.</p>${cap}<div class="scroll">${rows}</div>`;
}

/** Pick a topic, read its sample with document boundaries marked. */
export function browserSection(report: RunReport): PageSection {
  const { embedding, topics } = report.browser;
  if (topics.length === 0) return { id: "browser", title: "Sample browser", body: absent("no samples in this run") };
  const note = html`<p class="note">Embedded in this page: ${formatNumber(embedding.full)} samples in full (the first sample of each topic, up to ${formatNumber(embedding.fullTextBudget)} characters in all),
${formatNumber(embedding.excerpts)} as excerpts (the first ${formatNumber(embedding.excerptCharacters)} characters of each document, up to ${formatNumber(embedding.excerptBudget)} characters in all),
${formatNumber(embedding.none)} as document ids only${embedding.topicsNotListed > 0 ? `; ${formatNumber(embedding.topicsNotListed)} more topics with samples are not listed (the first ${formatNumber(embedding.topicLimit)} are)` : ""}. <code>litelong inspect ${report.run.directory} --sample &lt;id&gt;</code> shows any sample; <code>litelong report --sample-text</code> changes the cap.</p>`;
  const controls = html`<div class="browser-controls">
<label>filter topics<input id="topic-filter" type="search" placeholder="words in the topic" autocomplete="off"></label>
<label>topic (${formatNumber(topics.length)} with samples)<select id="topic-select"></select></label>
<label>sample<select id="sample-select"></select></label>
<label>jump to document<select id="document-select"></select></label></div>`;
  return { id: "browser", title: "Sample browser", body: html`${note}${controls}<div id="sample-meta"></div><div id="sample-view"></div>` };
}
