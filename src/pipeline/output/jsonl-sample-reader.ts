import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";
import { fileDigest } from "../../core/file-digest.js";
import { sampleSchema } from "../../core/record-schemas.js";
import type { Sample } from "../../core/records.js";
import { jsonlShardsIndexSchema } from "./jsonl-sample-writer.js";

/** A sample (with `line`, its JSON as written) or a problem found where it should be. */
export type JsonlSampleEntry = { sample: Sample; line: string; where: string } | { problem: string; where: string };

/**
 * Reads back what JsonlSampleWriter wrote, checking each shard's SHA-256 against index.json and
 * each line against the sample schema. Problems are yielded, not thrown, so verify can list them
 * all. Provenance-only records (no text) come back with empty text.
 */
export async function* readJsonlSamples(directory: string): AsyncGenerator<JsonlSampleEntry> {
  const label = relative(join(directory, "..", ".."), directory) || directory;
  let index;
  try {
    index = jsonlShardsIndexSchema.parse(JSON.parse(await readFile(join(directory, "index.json"), "utf8")));
  } catch (error) {
    yield { where: `${label}/index.json`, problem: `unreadable (${(error as Error).message.split("\n")[0]})` };
    return;
  }
  for (const shard of index.shards) {
    const path = join(directory, shard.file);
    const where = `${label}/${shard.file}`;
    if ((await fileDigest(path)) !== shard.sha256) yield { where, problem: "SHA-256 differs from index.json (file changed or damaged)" };
    const input = createReadStream(path);
    const lines = createInterface({ input: index.compression === "gzip" ? input.pipe(createGunzip()) : input, crlfDelay: Infinity });
    let lineNumber = 0;
    for await (const line of lines) {
      lineNumber++;
      if (line.length === 0) continue;
      const parsed = sampleSchema.safeParse(withText(parseJson(line), index.text));
      if (parsed.success) yield { sample: parsed.data, line, where: `${where}:${lineNumber}` };
      else yield { where: `${where}:${lineNumber}`, problem: `not a sample record (${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message})` };
    }
    if (lineNumber !== shard.samples) yield { where, problem: `index.json says ${shard.samples} samples, file has ${lineNumber}` };
  }
}

function withText(value: unknown, hasText: boolean): unknown {
  return !hasText && value !== null && typeof value === "object" ? { ...value, text: "" } : value;
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
