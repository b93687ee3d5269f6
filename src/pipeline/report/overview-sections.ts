import { formatNumber, formatPercent, formatSeconds } from "./format-number.js";
import { absent, card, chartBox, figuresTable, table, type PageSection } from "./html-parts.js";
import type { DebateFlow, RemovedTopic, RunReport, SectionSummary, StageSummary } from "./run-report.js";
import { html } from "./safe-html.js";

/** Run summary: headline figures, corpus, time and counts per stage. */
export function summarySection(report: RunReport): PageSection {
  const { summary } = report;
  const cards = [
    card("documents indexed", formatNumber(summary.documents)),
    card(`subjects in ${formatNumber(summary.sections)} section${summary.sections === 1 ? "" : "s"}`, formatNumber(summary.subjects)),
    card(`topics kept (of ${formatNumber(summary.topics)})`, formatNumber(summary.topicsKept)),
    card("hits", formatNumber(summary.hits)),
    card("samples", formatNumber(summary.samples)),
    card("tokens", formatNumber(summary.tokens)),
    card("tokens per sample", formatNumber(summary.length)),
    card("time (all stages)", formatSeconds(summary.totalSeconds)),
  ];
  const facts = [
    html`<li>corpus: ${summary.corpus.map((path, i) => html`${i > 0 ? ", " : ""}<code>${path}</code>`)}${summary.corpusFiles === undefined ? "" : ` (${formatNumber(summary.corpusFiles)} file${summary.corpusFiles === 1 ? "" : "s"}, ${formatNumber(summary.characters)} characters)`}</li>`,
    html`<li>topics from: <b>${summary.topicSource ?? "—"}</b>; tokenizer: <b>${summary.tokenizer ?? "—"}</b></li>`,
    summary.samples > 0 && !summary.samplesHaveText ? html`<li>the samples were written without text (MDS only): the browser shows document ids</li>` : "",
  ];
  const stageTable = table<StageSummary>(
    [
      { heading: "stage", cell: (stage) => stage.name },
      { heading: "time", cell: (stage) => formatSeconds(stage.seconds), numeric: true },
      { heading: "finished (UTC)", cell: (stage) => html`<span class="nowrap">${stage.finishedAt.replace("T", " ").replace(/\.\d+Z$/, "")}</span>` },
      { heading: "counts", cell: (stage) => Object.entries(stage.counts).map(([key, value]) => html`<code>${key}</code>=${formatNumber(value)} `) },
      { heading: "facts", cell: (stage) => Object.entries(stage.facts).map(([key, value]) => html`<code>${key}</code>=${value} `) },
    ],
    report.stages,
  );
  const configuration = html`<details><summary>configuration and versions</summary><p class="note">config hash <code>${report.run.configHash}</code></p><pre>${JSON.stringify(report.run.config, null, 2)}</pre><pre>${JSON.stringify(report.run.versions, null, 2)}</pre></details>`;
  const body = html`<div class="cards">${cards}</div>
<div class="grid"><div><ul>${facts}</ul>${configuration}</div>${chartBox("stageSeconds", "Time per stage (seconds)")}</div>
<h3>Stages</h3>${stageTable}`;
  return { id: "summary", title: "Summary", body };
}

/** Subjects and topics per taxonomy section, and how long the topics are. */
export function subjectsSection(report: RunReport): PageSection {
  const total = report.summary.tokens;
  const sectionTable = table<SectionSummary>(
    [
      { heading: "section", cell: (section) => section.section },
      { heading: "subjects", cell: (section) => section.subjects, numeric: true },
      { heading: "topics", cell: (section) => section.topics, numeric: true },
      { heading: "with hits", cell: (section) => section.topicsWithHits, numeric: true },
      { heading: "with samples", cell: (section) => section.topicsWithSamples, numeric: true },
      { heading: "samples", cell: (section) => section.samples, numeric: true },
      { heading: "tokens", cell: (section) => section.tokens, numeric: true },
      { heading: "token share", cell: (section) => formatPercent(section.tokens, total), numeric: true },
    ],
    report.sections,
  );
  const body = html`<div class="scroll">${sectionTable}</div>
<div class="grid">${chartBox("sections", "Subjects and topics per section")}${chartBox("topicWords", "Topic length (words)", "The paper's 32K debate topics: 1 word 1,830; 2: 11,048; 3: 9,217; 4: 6,116; 5: 2,933; 6+: ~1,180.")}</div>`;
  return { id: "subjects", title: "Subjects & topics", body };
}

/** EXTENSION POINT: the LLM debate per model; "not in this run" for heading or file topics. */
export function debateSection(report: RunReport): PageSection {
  const { debate } = report;
  if (!debate.present) return { id: "debate", title: "Debate", body: absent(debate.note) };
  const flows = table<DebateFlow>(
    [
      { heading: "proposed by", cell: (flow) => flow.model },
      { heading: "proposed", cell: (flow) => flow.proposed, numeric: true },
      { heading: "accepted by critics", cell: (flow) => flow.acceptedByCritics, numeric: true },
      { heading: "not critiqued", cell: (flow) => flow.notCritiqued, numeric: true },
      { heading: "removed", cell: (flow) => flow.removed, numeric: true },
      { heading: "kept", cell: (flow) => flow.kept, numeric: true },
    ],
    debate.flows,
  );
  const figures = debate.figures.length > 0 ? html`<h3>Topics stage counts and facts, as recorded</h3>${figuresTable(debate.figures)}` : "";
  const removedCount = debate.flows.reduce((sum, flow) => sum + flow.removed, 0);
  const removed =
    debate.removed.length === 0
      ? ""
      : html`<h3>Removed topics (${debate.removed.length < removedCount ? `first ${formatNumber(debate.removed.length)} of ` : ""}${formatNumber(removedCount)})</h3><div class="scroll">${table<RemovedTopic>(
          [
            { heading: "topic", cell: (topic) => topic.text },
            { heading: "proposed by", cell: (topic) => topic.proposedBy },
            { heading: "reasons", cell: (topic) => topic.reasons.join("; ") },
          ],
          debate.removed,
        )}</div>`;
  return { id: "debate", title: "Debate", body: html`<div class="grid"><div>${flows}</div>${chartBox("debateFlow", "Debate flow per model")}</div>${removed}${figures}` };
}

/** EXTENSION POINT: LLM calls, tokens and cost per model, as the stages record them. */
export function llmUsageSection(report: RunReport): PageSection {
  const { llmUsage } = report;
  const body = llmUsage.present ? figuresTable(llmUsage.figures) : absent(llmUsage.note);
  return { id: "llm-usage", title: "LLM usage & cost", body };
}
