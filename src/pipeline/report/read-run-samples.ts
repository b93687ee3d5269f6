import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { z } from "zod";
import { InputError, RunDirectoryError } from "../../core/errors.js";

/**
 * The fields of a sample record the report uses. Read leniently (unknown fields pass, newer
 * fields are optional) so the report keeps working while the sample format grows; `text` is
 * absent in provenance-only shards (MDS runs without JSONL text).
 */
export const reportSampleSchema = z.object({
  id: z.string(),
  topicId: z.string(),
  subjectId: z.string(),
  /** The section the sample counts toward (MDS `domain`); older runs lack it. */
  domain: z.string().optional(),
  docIds: z.array(z.string()),
  docOffsets: z.array(z.number().int().nonnegative()),
  tokenCount: z.number().int().nonnegative(),
  short: z.boolean().optional(),
  text: z.string().optional(),
  /** NExtLong samples: what each stretch is, with its token range. */
  spans: z.array(z.object({ kind: z.enum(["positive", "negative"]), tokens: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]) })).optional(),
});
export type ReportSample = z.infer<typeof reportSampleSchema>;

const shardListSchema = z.object({ shards: z.array(z.object({ file: z.string() })) });
const samplesIndexSchema = z.object({ format: z.string(), formats: z.array(z.string()).optional() }).passthrough();

/** Where a run's sample records are: shard files in order, and whether they carry text. */
export interface SampleShards {
  directory: string;
  files: string[];
  hasText: boolean;
}

/**
 * Finds the sample shards of a run from samples/index.json. Knows the layouts litelong has
 * written: shards beside index.json ("litelong-samples-jsonl"), and samples/jsonl/ or, for
 * MDS-only runs, the provenance records in samples/mds/provenance/ ("litelong-samples").
 */
export async function findSampleShards(samplesDirectory: string): Promise<SampleShards> {
  const indexPath = join(samplesDirectory, "index.json");
  const index = samplesIndexSchema.parse(await readJson(indexPath));
  if (index.format === "litelong-samples-jsonl") return shardsIn(samplesDirectory, true);
  if (index.format === "litelong-samples") {
    if (index.formats?.includes("jsonl")) return shardsIn(join(samplesDirectory, "jsonl"), true);
    if (index.formats?.includes("mds")) return shardsIn(join(samplesDirectory, "mds", "provenance"), false);
  }
  throw new RunDirectoryError(`${indexPath}: samples format "${index.format}" is not one this report reads`);
}

async function shardsIn(directory: string, hasText: boolean): Promise<SampleShards> {
  const list = shardListSchema.parse(await readJson(join(directory, "index.json")));
  return { directory, files: list.shards.map((shard) => shard.file), hasText };
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new RunDirectoryError(`${path}: cannot read (${(error as Error).message})`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError({ file: path }, `not valid JSON (${(error as Error).message})`);
  }
}

/** Streams every sample of the shards in order, one record in memory at a time (.gz shards too). */
export async function* readSampleShards(shards: SampleShards): AsyncGenerator<ReportSample> {
  for (const file of shards.files) {
    const path = join(shards.directory, file);
    let input: Readable = createReadStream(path);
    if (file.endsWith(".gz")) input = input.pipe(createGunzip());
    let lineNumber = 0;
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      lineNumber++;
      if (line.trim().length === 0) continue;
      yield parseSampleLine(line, { file: path, line: lineNumber });
    }
  }
}

function parseSampleLine(line: string, location: { file: string; line: number }): ReportSample {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new InputError(location, `not valid JSON (${(error as Error).message})`);
  }
  const parsed = reportSampleSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError({ ...location, field: issue.path.join(".") || undefined }, issue.message);
  }
  return parsed.data;
}
