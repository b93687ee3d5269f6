import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { CsvError, parse as parseCsv } from "csv-parse/sync";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { InputError, type InputLocation } from "../core/errors.js";
import type { ProblemList } from "./problem-list.js";

/** File formats a custom taxonomy can come in, chosen by file extension. */
export type TaxonomyFormat = "csv" | "json" | "jsonl" | "parquet";

const FORMAT_BY_EXTENSION: Record<string, TaxonomyFormat> = {
  ".csv": "csv",
  ".json": "json",
  ".jsonl": "jsonl",
  ".parquet": "parquet",
};

/** The extensions `taxonomyFormatOf` knows, for error messages. */
export const TAXONOMY_EXTENSIONS = Object.keys(FORMAT_BY_EXTENSION);

/** The format of a taxonomy file by its extension (case-insensitive), or undefined. */
export function taxonomyFormatOf(file: string): TaxonomyFormat | undefined {
  return FORMAT_BY_EXTENSION[extname(file).toLowerCase()];
}

/** One record of a taxonomy file, not yet validated, with where it came from. */
export interface TaxonomyRow {
  /** file:line for CSV and JSONL, file + 0-based row for JSON arrays and parquet. */
  location: InputLocation;
  values: Record<string, unknown>;
}

/** Every record of a taxonomy file and the union of their column names. */
export interface TaxonomyTable {
  /** Column names in order of first appearance. */
  columns: string[];
  rows: TaxonomyRow[];
}

/**
 * Reads every record of a taxonomy file as plain objects. Records that cannot be read (a JSONL
 * line that is not a JSON object, say) go to `problems` and are left out, so the caller can
 * still check the others and report everything at once. Problems that leave nothing readable
 * (broken CSV quoting, a file that is not JSON or parquet) throw an InputError at once.
 */
export async function readTaxonomyTable(
  file: string,
  format: TaxonomyFormat,
  problems: ProblemList,
): Promise<TaxonomyTable> {
  const rows = await readRows(file, format, problems);
  const columns = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row.values)) columns.add(key);
  return { columns: [...columns], rows };
}

async function readRows(file: string, format: TaxonomyFormat, problems: ProblemList): Promise<TaxonomyRow[]> {
  switch (format) {
    case "csv":
      return readCsvRows(file, await readText(file));
    case "json":
      return readJsonRows(file, await readText(file), problems);
    case "jsonl":
      return readJsonLinesRows(file, await readText(file), problems);
    case "parquet":
      return readParquetRows(file);
  }
}

async function readText(file: string): Promise<string> {
  // A byte-order mark would otherwise become part of the first column name or break JSON.parse.
  return (await readFile(file, "utf8")).replace(/^\uFEFF/, "");
}

interface CsvRecordWithInfo {
  record: Record<string, string>;
  info: { lines: number };
}

function readCsvRows(file: string, text: string): TaxonomyRow[] {
  let records: CsvRecordWithInfo[];
  try {
    records = parseCsv(text, { columns: true, skip_empty_lines: true, info: true }) as CsvRecordWithInfo[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = typeof error.lines === "number" ? error.lines : undefined;
    throw new InputError({ file, line }, `not valid CSV: ${error.message}`, { cause: error });
  }
  // info.lines is the line the record ends on: the record's own line unless a quoted cell spans lines.
  return records.map(({ record, info }) => ({ location: { file, line: info.lines }, values: record }));
}

function readJsonRows(file: string, text: string, problems: ProblemList): TaxonomyRow[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError({ file }, `not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!Array.isArray(parsed)) {
    throw new InputError({ file }, `expected a JSON array of objects, got ${describeType(parsed)}`);
  }
  const rows: TaxonomyRow[] = [];
  parsed.forEach((item: unknown, row) => {
    const location = { file, row };
    if (isPlainObject(item)) rows.push({ location, values: item });
    else problems.add(location, `expected a JSON object, got ${describeType(item)}`);
  });
  return rows;
}

function readJsonLinesRows(file: string, text: string, problems: ProblemList): TaxonomyRow[] {
  const rows: TaxonomyRow[] = [];
  text.split(/\r?\n/).forEach((lineText, index) => {
    if (lineText.trim() === "") return;
    const location = { file, line: index + 1 };
    let item: unknown;
    try {
      item = JSON.parse(lineText);
    } catch (error) {
      problems.add(location, `not valid JSON: ${(error as Error).message}`);
      return;
    }
    if (isPlainObject(item)) rows.push({ location, values: item });
    else problems.add(location, `expected a JSON object, got ${describeType(item)}`);
  });
  return rows;
}

async function readParquetRows(file: string): Promise<TaxonomyRow[]> {
  let records: Record<string, unknown>[];
  try {
    const buffer = await asyncBufferFromFile(file);
    records = await parquetReadObjects({ file: buffer, compressors });
  } catch (error) {
    throw new InputError({ file }, `not a readable parquet file: ${(error as Error).message}`, { cause: error });
  }
  return records.map((values, row) => ({ location: { file, row }, values }));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** "string", "number", "array", "null", ... for messages about a value of the wrong kind. */
export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}
