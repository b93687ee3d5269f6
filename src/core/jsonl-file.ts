import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { z } from "zod";
import { AtomicLineWriter } from "./atomic-file.js";
import { InputError } from "./errors.js";

/**
 * Reads a JSON-lines file record by record, validating each with `schema`; a bad line is an
 * InputError naming file, line and field.
 */
export async function* readJsonLines<T>(path: string, schema: z.ZodType<T>): AsyncGenerator<T> {
  for await (const entry of readJsonLineEntries(path, schema)) yield entry.record;
}

/** One line of a JSON-lines file: the validated record and the line's own text (its exact bytes, key order included). */
export interface JsonLineEntry<T> {
  record: T;
  line: string;
  lineNumber: number;
}

/** readJsonLines, also giving each record's line as written, for code that must copy it byte for byte. */
export async function* readJsonLineEntries<T>(path: string, schema: z.ZodType<T>): AsyncGenerator<JsonLineEntry<T>> {
  const lines = createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim().length === 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new InputError({ file: path, line: lineNumber }, `not valid JSON (${(error as Error).message})`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new InputError({ file: path, line: lineNumber, field: issue.path.join(".") || undefined }, issue.message);
    }
    yield { record: parsed.data, line, lineNumber };
  }
}

/** Reads a whole JSON-lines file into memory (for the small stage files). */
export async function readAllJsonLines<T>(path: string, schema: z.ZodType<T>): Promise<T[]> {
  const records: T[] = [];
  for await (const record of readJsonLines(path, schema)) records.push(record);
  return records;
}

/** Writes records as JSON lines atomically (all or nothing). */
export async function writeJsonLines(path: string, records: Iterable<unknown> | AsyncIterable<unknown>): Promise<number> {
  const writer = await AtomicLineWriter.create(path);
  let count = 0;
  try {
    for await (const record of records) {
      await writer.writeLine(JSON.stringify(record));
      count++;
    }
  } catch (error) {
    await writer.abort();
    throw error;
  }
  await writer.commit();
  return count;
}
