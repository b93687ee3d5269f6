import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { readAllJsonLines } from "../core/jsonl-file.js";
import { topicSchema } from "../core/record-schemas.js";
import { RunDirectoryError } from "../core/errors.js";
import type { DocumentSource, Sample, Topic } from "../core/records.js";
import { DocumentStore } from "../corpus/index.js";
import { openRunIndex } from "./index-stage.js";
import { readJsonlSamples } from "./output/jsonl-sample-reader.js";
import { samplesIndexSchema } from "./output/sample-outputs.js";
import { RunDirectory, type Manifest } from "./run-directory.js";

/** Characters of each document shown by `inspect --sample`. */
const PREVIEW_CHARACTERS = 240;

export interface SampleInspection {
  sample: Omit<Sample, "text"> & { textPreview: string; characters: number };
  topic: Topic | undefined;
  documents: Array<{ id: string; source: DocumentSource | undefined; preview: string }>;
}

/** The manifest of a run (throws a clear error when there is none). */
export async function inspectManifest(root: string): Promise<Manifest> {
  const run = new RunDirectory(root);
  const manifest = await run.readManifest();
  if (!manifest) throw new RunDirectoryError(`${run.root}: no manifest.json; not a litelong run directory`);
  return manifest;
}

/** One sample with its topic and the documents it was made of. */
export async function inspectSample(root: string, sampleId: string): Promise<SampleInspection> {
  const run = new RunDirectory(root);
  await run.requireStage("pack", "pack");
  const index = samplesIndexSchema.parse(JSON.parse(await readFile(run.samplesIndexPath, "utf8")));
  const sample = await findSample(join(run.samplesDirectory, index.formats.includes("jsonl") ? "jsonl" : join("mds", "provenance")), sampleId, run);
  const topics = await readAllJsonLines(run.topicsPath, topicSchema);
  const { engine, metadata } = await openRunIndex(run);
  await engine.loadDocumentSources?.(sample.docIds);
  const sources = sample.docIds.map((id) => engine.documentSource(id));
  const known = sources.filter((source): source is DocumentSource => source !== undefined);
  const texts = await new DocumentStore({ textField: metadata.textField }).readTexts(known);
  let nextText = 0;
  const { text, ...rest } = sample;
  return {
    sample: { ...rest, textPreview: text.slice(0, PREVIEW_CHARACTERS), characters: text.length },
    topic: topics.find((topic) => topic.id === sample.topicId),
    documents: sample.docIds.map((id, i) => ({
      id,
      source: sources[i],
      preview: sources[i] ? texts[nextText++]!.slice(0, PREVIEW_CHARACTERS) : "(not in the index)",
    })),
  };
}

async function findSample(directory: string, sampleId: string, run: RunDirectory): Promise<Sample> {
  for await (const entry of readJsonlSamples(directory)) {
    if ("sample" in entry && entry.sample.id === sampleId) return entry.sample;
  }
  throw new RunDirectoryError(`${run.root}: no sample with id "${sampleId}"`);
}
