import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Hits, Subject, Topic } from "../core/records.js";

/** A sample as the report reads it (fields of newer formats optional). */
export interface SyntheticSample {
  id: string;
  topicId: string;
  subjectId: string;
  topic: string;
  domain?: string;
  docIds: string[];
  docOffsets: number[];
  tokenizer: string;
  tokenCount: number;
  text: string;
}

export interface SyntheticRun {
  subjects: Subject[];
  topics: Topic[];
  hits: Hits[];
  samples: SyntheticSample[];
  /** Per stage: counts and facts to record (stages left out have not run). */
  stages: Record<string, { seconds: number; counts: Record<string, number>; facts?: Record<string, string>; options?: Record<string, unknown> }>;
  config?: Record<string, unknown>;
}

/** Where samples go: the first layout (shards beside index.json) or samples/jsonl/ (optionally gzip). */
export type SampleLayout = "flat" | "jsonl" | "jsonl-gzip";

/** A sample whose text is its documents joined by blank lines, with the offsets to match. */
export function sampleOf(id: string, topic: Topic, documents: Array<[string, string]>, tokenCount: number): SyntheticSample {
  const docOffsets: number[] = [];
  let text = "";
  for (const [, body] of documents) {
    docOffsets.push(text.length);
    text += body + "\n\n";
  }
  return { id, topicId: topic.id, subjectId: topic.subjectId, topic: topic.text, docIds: documents.map(([docId]) => docId), docOffsets, tokenizer: "llama3", tokenCount, text };
}

export function topicOf(id: string, subjectId: string, text: string, extra: Partial<Topic> = {}): Topic {
  return { id, subjectId, text, explanation: "", proposedBy: "headings", critiques: [], verdict: "kept", reasons: [], ...extra };
}

export function subjectOf(id: string, path: string[]): Subject {
  return { id, section: path[0]!, path, label: path.join(" / ") };
}

const lines = (records: readonly unknown[]) => records.map((record) => JSON.stringify(record) + "\n").join("");

/** Writes a run directory with a manifest and stage files, as the pipeline would have left it. */
export function writeSyntheticRun(directory: string, run: SyntheticRun, layout: SampleLayout = "flat"): string {
  mkdirSync(join(directory, "topics"), { recursive: true });
  mkdirSync(join(directory, "hits"), { recursive: true });
  writeFileSync(join(directory, "subjects.jsonl"), lines(run.subjects));
  writeFileSync(join(directory, "topics", "topics.jsonl"), lines(run.topics));
  writeFileSync(join(directory, "hits", "hits.jsonl"), lines(run.hits));
  writeSamples(join(directory, "samples"), run.samples, layout);
  const stages = Object.fromEntries(
    Object.entries(run.stages).map(([name, stage], i) => [
      name,
      { status: "done", fingerprint: `f${i}`, finishedAt: `2026-01-02T03:04:0${i}.000Z`, seconds: stage.seconds, options: stage.options ?? {}, counts: stage.counts, facts: stage.facts ?? {} },
    ]),
  );
  const manifest = { format: "litelong-run", version: 1, versions: { litelong: "0.0.0-test" }, configHash: "c0ffee", config: run.config ?? {}, stages };
  writeFileSync(join(directory, "manifest.json"), JSON.stringify(manifest, null, 2));
  return directory;
}

function writeSamples(directory: string, samples: readonly SyntheticSample[], layout: SampleLayout): void {
  const shardDirectory = layout === "flat" ? directory : join(directory, "jsonl");
  mkdirSync(shardDirectory, { recursive: true });
  // Two shards, so readers are seen to continue across shard files.
  const half = Math.ceil(samples.length / 2);
  const shards = [samples.slice(0, half), samples.slice(half)].filter((shard) => shard.length > 0);
  const extension = layout === "jsonl-gzip" ? ".jsonl.gz" : ".jsonl";
  const files = shards.map((shard, i) => {
    const file = `part-0000${i}${extension}`;
    const text = lines(shard);
    writeFileSync(join(shardDirectory, file), layout === "jsonl-gzip" ? gzipSync(text) : text);
    return { file, samples: shard.length, sha256: "" };
  });
  const tokens = samples.reduce((sum, sample) => sum + sample.tokenCount, 0);
  if (layout === "flat") {
    writeFileSync(join(directory, "index.json"), JSON.stringify({ format: "litelong-samples-jsonl", version: 1, tokenizer: "llama3", length: 64, samples: samples.length, tokens, shards: files }));
    return;
  }
  writeFileSync(join(shardDirectory, "index.json"), JSON.stringify({ format: "litelong-jsonl", version: 1, compression: layout === "jsonl-gzip" ? "gzip" : "none", text: true, samples: samples.length, shards: files }));
  writeFileSync(join(directory, "index.json"), JSON.stringify({ format: "litelong-samples", version: 2, tokenizer: "llama3", length: 64, samples: samples.length, tokens, formats: ["jsonl"] }));
}

/**
 * A small debate run, every number known: 3 subjects in 2 sections, 5 topics from two models
 * (one removed by the judge, one with the same hits as another, one without hits), 3 samples
 * of 64 tokens. `payload` is planted in every text, id and label the report shows.
 */
export function debateRun(payload = ""): SyntheticRun {
  const subjects = [subjectOf("COM1", ["Computers", `Programming${payload}`]), subjectOf("COM2", ["Computers", "Networking"]), subjectOf("CKB1", [`Cooking${payload}`, "Baking"])];
  const accept = (critic: string) => [{ critic, action: "accept" as const, reason: `fine${payload}` }];
  const reject = (critic: string) => [{ critic, action: "reject" as const, reason: `vague${payload}` }];
  const t1 = topicOf(`t1${payload}`, "COM1", `python generators${payload}`, { proposedBy: "model-a", critiques: accept("model-b") });
  const t2 = topicOf("t2", "COM2", "network sockets tutorial", { proposedBy: `model-b${payload}`, critiques: accept("model-a") });
  const t3 = topicOf("t3", "CKB1", "bread", { proposedBy: "model-a", critiques: reject("model-b") });
  const t4 = topicOf("t4", "CKB1", "sourdough starter feeding schedule at home", { proposedBy: `model-b${payload}`, critiques: reject("model-a"), verdict: "removed", reasons: [`redundant${payload}`] });
  const t5 = topicOf("t5", "COM1", "python generators again", { proposedBy: "model-a" });
  const d = (n: number) => `d${n}${n === 2 ? payload : ""}`;
  const hits: Hits[] = [
    { topicId: t1.id, match: "all", docIds: [d(1), d(2), d(3)], scores: [3, 2, 1] },
    { topicId: t2.id, match: "all", docIds: [d(3), d(4)], scores: [4, 1] },
    { topicId: t3.id, match: "all", docIds: [], scores: [] },
    { topicId: t5.id, match: "all", docIds: [d(1), d(2), d(3)], scores: [3, 2, 1] },
  ];
  const body = (n: number) => `Document ${n} text${payload} about ${n % 2 ? "generators" : "sockets"}.\nSecond line of document ${n}.`;
  const samples = [
    sampleOf(`${t1.id}-s0`, t1, [[d(1), body(1)], [d(2), body(2)]], 64),
    sampleOf(`${t1.id}-s1`, t1, [[d(2), `continued${payload}`], [d(3), body(3)]], 64),
    sampleOf("t2-s0", t2, [[d(3), body(3)], [d(4), body(4)]], 64),
  ];
  return {
    subjects,
    topics: [t1, t2, t3, t4, t5],
    hits,
    samples,
    config: { corpus: [`corpus${payload}.jsonl`] },
    stages: {
      index: { seconds: 1.5, counts: { files: 1, documents: 4, characters: 400, duplicateIds: 0, "skipped.malformed-json": 2 }, facts: { engine: "segmented-bm25" } },
      taxonomy: { seconds: 0.25, counts: { subjects: 3, sections: 2 } },
      topics: {
        seconds: 30,
        counts: { topics: 5, "proposals.model-a": 3, "proposals.model-b": 2, "llm.model-a.promptTokens": 1200, "llm.model-a.completionTokens": 300, "llm.judge-c.promptTokens": 800 },
        facts: { topicSource: "debate", judge: `judge-c${payload}` },
      },
      retrieve: { seconds: 0.5, counts: { topics: 4, topicsWithHits: 3, topicsWithoutHits: 1, hits: 8 } },
      pack: { seconds: 2, counts: { samples: 3, tokens: 192, "documents.used": 4, "documents.shortTail": 1 }, facts: { tokenizer: "llama3", length: "64" }, options: { samplesPerTopic: 2 } },
    },
  };
}
