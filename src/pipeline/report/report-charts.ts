import type { Histogram, RunReport } from "./run-report.js";

/** Colours of chart series, in order (blue, orange, green, purple, red). */
export const SERIES_COLOURS = ["#3868c8", "#e0803a", "#3a9e78", "#9a5cc4", "#c9483f"];

/** One series of a chart. */
export interface ChartSeries {
  label: string;
  values: number[];
  colour: string;
}

/**
 * What the page's script draws with uPlot. "bars": categorical x (`labels`), one bar per series
 * per label (grouped when there are several series). "line": x is 1..n (`values` by rank) and
 * `labels` is empty.
 */
export interface ChartSpec {
  kind: "bars" | "line";
  xLabel: string;
  yLabel: string;
  labels: string[];
  series: ChartSeries[];
}

/** Chart ids the page uses, each with its spec (absent when the run has no data for it). */
export type ChartSpecs = Record<string, ChartSpec>;

function histogramChart(histogram: Histogram, xLabel: string, yLabel: string, colour = SERIES_COLOURS[0]!): ChartSpec {
  return { kind: "bars", xLabel, yLabel, labels: histogram.labels, series: [{ label: yLabel, values: histogram.counts, colour }] };
}

/** The specs of every chart the report can draw; only those with data are included. */
export function reportCharts(report: RunReport): ChartSpecs {
  const charts: ChartSpecs = {};
  const add = (id: string, spec: ChartSpec) => {
    if (spec.series.some((series) => series.values.some((value) => value > 0))) charts[id] = spec;
  };
  add("stageSeconds", {
    kind: "bars",
    xLabel: "stage",
    yLabel: "seconds",
    labels: report.stages.map((stage) => stage.name),
    series: [{ label: "seconds", values: report.stages.map((stage) => stage.seconds), colour: SERIES_COLOURS[0]! }],
  });
  add("sections", {
    kind: "bars",
    xLabel: "section",
    yLabel: "count",
    labels: report.sections.map((section) => section.section),
    series: [
      { label: "subjects", values: report.sections.map((section) => section.subjects), colour: SERIES_COLOURS[0]! },
      { label: "topics", values: report.sections.map((section) => section.topics), colour: SERIES_COLOURS[1]! },
      { label: "topics with samples", values: report.sections.map((section) => section.topicsWithSamples), colour: SERIES_COLOURS[2]! },
    ],
  });
  add("topicWords", histogramChart(report.topicWordCounts, "words in the topic", "topics"));
  add("hitsPerTopic", histogramChart(report.hits.perTopic, "hits", "topics"));
  add("hitsRanked", {
    kind: "line",
    xLabel: "topic rank",
    yLabel: "hits",
    labels: [],
    series: [{ label: "hits", values: report.hits.perTopicRanked, colour: SERIES_COLOURS[0]! }],
  });
  add("scores", histogramChart(report.hits.scores, "score (bin start)", "hits", SERIES_COLOURS[3]));
  add("sampleLengths", histogramChart(report.samples.lengths, "tokens", "samples", SERIES_COLOURS[2]));
  add("documentsPerSample", histogramChart(report.samples.documentsPerSample, "documents", "samples", SERIES_COLOURS[2]));
  add("tokenMix", {
    kind: "bars",
    xLabel: "section",
    yLabel: "tokens",
    labels: report.sections.map((section) => section.section),
    series: [{ label: "tokens", values: report.sections.map((section) => section.tokens), colour: SERIES_COLOURS[1]! }],
  });
  add("retrievedReuse", histogramChart(report.reuse.retrievedByTopics, "topics", "documents", SERIES_COLOURS[3]));
  add("packedReuse", histogramChart(report.reuse.packedForTopics, "topics", "documents", SERIES_COLOURS[4]));
  if (report.debate.present) add("debateFlow", debateChart(report.debate.flows));
  return charts;
}

function debateChart(flows: Extract<RunReport["debate"], { present: true }>["flows"]): ChartSpec {
  const stages = ["proposed", "accepted by critics", "removed", "kept"];
  return {
    kind: "bars",
    xLabel: "stage",
    yLabel: "topics",
    labels: stages,
    series: flows.map((flow, i) => ({
      label: flow.model,
      values: [flow.proposed, flow.acceptedByCritics, flow.removed, flow.kept],
      colour: SERIES_COLOURS[i % SERIES_COLOURS.length]!,
    })),
  };
}
