import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { debateRun, writeSyntheticRun } from "../../test-support/synthetic-run.js";
import { temporaryDirectory } from "../../test-support/fixtures.js";
import { collectRunReport, reportStatistics } from "./collect-run-report.js";
import { writeRunReport } from "./write-run-report.js";

const directory = temporaryDirectory("litelong-report-");

test("statistics of a run are collected exactly", async () => {
  const report = await collectRunReport(writeSyntheticRun(join(directory, "exact"), debateRun()));
  assert.deepEqual(report.summary, {
    corpus: ["corpus.jsonl"],
    corpusFiles: 1,
    documents: 4,
    characters: 400,
    subjects: 3,
    sections: 2,
    topics: 5,
    topicsKept: 4,
    hits: 8,
    samples: 3,
    shortSamples: 0,
    tokens: 192,
    samplesHaveText: true,
    length: 64,
    tokenizer: "llama3",
    topicSource: "debate",
    totalSeconds: 34.25,
  });
  assert.deepEqual(report.stages.map((stage) => stage.name), ["taxonomy", "topics", "index", "retrieve", "pack"]);
  assert.deepEqual(report.sections, [
    { section: "Computers", subjects: 2, topics: 3, topicsWithHits: 3, topicsWithSamples: 2, samples: 3, tokens: 192 },
    { section: "Cooking", subjects: 1, topics: 1, topicsWithHits: 0, topicsWithSamples: 0, samples: 0, tokens: 0 },
  ]);
  assert.deepEqual(report.topicWordCounts, { labels: ["1", "2", "3", "4", "5", "6+"], counts: [1, 1, 2, 0, 0, 0] });
  assert.deepEqual(report.hits.perTopic, { labels: ["2", "3"], counts: [1, 2] });
  assert.deepEqual(report.hits.perTopicRanked, [3, 3, 2]);
  assert.equal(report.hits.scoreMean, 17 / 8);
  const scoreBins = report.hits.scores.counts.flatMap((count, bin) => (count > 0 ? [[report.hits.scores.labels[bin], count]] : []));
  assert.deepEqual(scoreBins, [["1.00", 3], ["1.98", 2], ["2.95", 2], ["3.92", 1]]);
  assert.deepEqual(report.samples, { lengths: { labels: ["64"], counts: [3] }, documentsPerSample: { labels: ["2"], counts: [3] } });
  assert.deepEqual(report.reuse, { retrievedByTopics: { labels: ["1", "2", "3"], counts: [1, 2, 1] }, packedForTopics: { labels: ["1", "2"], counts: [3, 1] }, truncatedAfter: undefined });
  assert.deepEqual(
    report.underfilled.map((topic) => [topic.topicId, topic.hits, topic.samples, topic.reason]),
    [["t2", 2, 1, "its documents fill 1 of 2 samples"], ["t3", 0, 0, "no hits"], ["t5", 3, 0, "same hits as topic t1; packed once"]],
  );
  assert.deepEqual(report.drops.map((drop) => `${drop.stage} ${drop.key}=${drop.count}`), ["index duplicateIds=0", "index skipped.malformed-json=2", "retrieve topicsWithoutHits=1", "pack documents.shortTail=1"]);
});

test("debate, LLM usage and NExtLong parts are shown when present and marked absent otherwise", async () => {
  const report = await collectRunReport(join(directory, "exact"));
  assert.ok(report.debate.present);
  assert.deepEqual(report.debate.flows, [
    { model: "model-a", proposed: 3, acceptedByCritics: 1, notCritiqued: 1, removed: 0, kept: 3 },
    { model: "model-b", proposed: 2, acceptedByCritics: 1, notCritiqued: 0, removed: 1, kept: 1 },
  ]);
  assert.deepEqual(report.debate.removed, [{ topicId: "t4", text: "sourdough starter feeding schedule at home", proposedBy: "model-b", reasons: ["redundant"] }]);
  assert.ok(report.llmUsage.present);
  assert.deepEqual(report.llmUsage.figures, [
    { group: "topics: judge-c", name: "promptTokens", value: "800" },
    { group: "topics: model-a", name: "completionTokens", value: "300" },
    { group: "topics: model-a", name: "promptTokens", value: "1200" },
  ]);
  assert.deepEqual(report.nextLong, { present: false, note: "not in this run: samples were packed without NExtLong hard negatives" });

  const plain = debateRun();
  plain.topics = plain.topics.map((topic) => ({ ...topic, critiques: [], verdict: "kept" }));
  plain.stages.topics = { seconds: 0, counts: { topics: 5 }, facts: { topicSource: "headings" } };
  const headings = await collectRunReport(writeSyntheticRun(join(directory, "headings"), plain));
  assert.deepEqual(headings.debate, { present: false, note: 'not in this run: topics came from "headings", not an LLM debate' });
  assert.equal(headings.llmUsage.present, false);
});

test("sample text is embedded within the caps, full text first, then excerpts, then ids only", async () => {
  const run = debateRun();
  const root = writeSyntheticRun(join(directory, "caps"), run, "jsonl-gzip");
  const first = run.samples[0]!;
  const report = await collectRunReport(root, { embedding: { fullText: first.text.length, excerpts: 30, excerptCharacters: 12, topics: 5 } });
  const samples = report.browser.topics.flatMap((topic) => topic.samples);
  assert.deepEqual(samples.map((sample) => [sample.id, sample.embedded, sample.continues]), [["t1-s0", "full", false], ["t1-s1", "excerpts", true], ["t2-s0", "none", false]]);
  assert.equal(samples[0]!.text, first.text);
  assert.deepEqual(samples[1]!.excerpts, ["continued\n\n", "Document 3 t"]);
  assert.deepEqual(report.browser.embedding, { fullTextBudget: first.text.length, excerptBudget: 30, excerptCharacters: 12, topicLimit: 5, full: 1, excerpts: 1, none: 1, topicsNotListed: 0 });
  const oneTopic = await collectRunReport(root, { embedding: { fullText: 0, excerpts: 0, excerptCharacters: 12, topics: 1 } });
  assert.deepEqual(oneTopic.browser.topics.map((topic) => topic.samples.map((sample) => `${sample.id}:${sample.embedded}`)), [["t1-s0:none", "t1-s1:none"]]);
  assert.deepEqual([oneTopic.browser.embedding.topicsNotListed, oneTopic.sections[0]!.topicsWithSamples], [1, 2]);
  const statistics = reportStatistics(report);
  assert.equal(JSON.stringify(statistics).includes("Second line"), false, "--json carries no sample text");
  assert.deepEqual(statistics.browser.topics[0]!.samples[0]!.docIds, ["d1", "d2"]);
});

test("the page is the same bytes for the same run, and a current page is left alone", async () => {
  const root = writeSyntheticRun(join(directory, "bytes"), debateRun(), "jsonl");
  const first = await writeRunReport(root);
  const bytes = readFileSync(first.path);
  const again = await writeRunReport(root);
  assert.deepEqual(readFileSync(again.path), bytes);
  const modified = statSync(first.path).mtimeMs;
  const skipped = await writeRunReport(root, { skipWhenCurrent: true });
  assert.deepEqual([skipped.written, skipped.bytes, statSync(first.path).mtimeMs], [false, bytes.length, modified]);

  const manifestPath = join(root, "manifest.json");
  writeFileSync(manifestPath, readFileSync(manifestPath, "utf8").replace('"seconds": 2', '"seconds": 3'));
  assert.equal((await writeRunReport(root, { skipWhenCurrent: true })).written, true, "a changed manifest makes a new page");
});

test("a run that only indexed gets a report saying what has not run", async () => {
  const run = debateRun();
  const stages = { index: run.stages.index! };
  const report = await collectRunReport(writeSyntheticRun(join(directory, "early"), { ...run, stages }));
  assert.deepEqual([report.summary.documents, report.summary.topics, report.summary.samples, report.underfilled.length], [4, 0, 0, 0]);
  assert.equal(report.debate.present, false);
});
