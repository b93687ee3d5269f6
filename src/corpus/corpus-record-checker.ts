import { z } from "zod";
import type { InputLocation } from "../core/errors.js";

/** Why a corpus record was rejected. */
export type BadRecordReason =
  | "malformed-json"
  | "not-an-object"
  | "missing-text"
  | "non-string-text"
  | "empty-text"
  | "invalid-utf8"
  | "bad-id"
  | "too-large";

/** A rejected corpus record, as reported to `CorpusReadOptions.reportBadRecord`. */
export interface BadRecord {
  reason: BadRecordReason;
  location: InputLocation;
  /** Full human message: file, line or row, field, what was found and what was expected. */
  message: string;
}

/** What is wrong with a record, before a location is attached. */
export interface RecordProblem {
  reason: BadRecordReason;
  /** The field that was wrong, when one was. */
  field?: string;
  /** What was found and what was expected ("missing; expected a string"). */
  problem: string;
}

/** A record's text and its id field (undefined when the record has none). */
export interface CheckedRecord {
  id: string | undefined;
  text: string;
}

/** The outcome of checking one record: the record, or what is wrong with it. */
export type RecordCheck = { record: CheckedRecord } | { problem: RecordProblem };

const EXPECTED_TEXT = "expected a string";
const EXPECTED_ID = "expected a non-empty string or a number";

/**
 * Validates corpus records (a parsed JSON line or a parquet row) against the configured text and
 * id fields. One instance per read: the zod schema is built once and reused for every record.
 */
export class CorpusRecordChecker {
  private readonly schema: z.ZodType;
  private readonly decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

  /**
   * @param fields.textField - the field holding the document text
   * @param fields.idField - the field holding the document id; undefined skips id checks
   */
  constructor(private readonly fields: { textField: string; idField?: string }) {
    const shape: Record<string, z.ZodType> = {};
    // null counts as "no id": exports of nullable id columns write it for every id-less row.
    if (fields.idField !== undefined) shape[fields.idField] = z.union([z.string().min(1), z.number(), z.bigint()]).nullish();
    shape[fields.textField] = z.string().refine((text) => text.trim() !== "");
    this.schema = z.looseObject(shape);
  }

  /** Decodes and parses one JSONL line (without its line break), then checks the record. */
  checkJsonLine(bytes: Uint8Array): RecordCheck {
    let json: string;
    try {
      json = this.decoder.decode(bytes);
    } catch {
      return { problem: { reason: "invalid-utf8", problem: "invalid UTF-8; expected UTF-8 text" } };
    }
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return { problem: { reason: "malformed-json", problem: `malformed JSON (${detail}); expected one JSON object per line` } };
    }
    return this.checkRecord(value);
  }

  /** Checks a parsed record: an object with a non-blank string text field and a usable id. */
  checkRecord(value: unknown): RecordCheck {
    if (this.schema.safeParse(value).success) {
      const record = value as Record<string, unknown>;
      return { record: { id: this.idOf(record), text: record[this.fields.textField] as string } };
    }
    return { problem: this.explain(value) };
  }

  private idOf(record: Record<string, unknown>): string | undefined {
    if (this.fields.idField === undefined) return undefined;
    const id = record[this.fields.idField];
    return id === undefined || id === null ? undefined : String(id);
  }

  /** The schema said no; name the first thing wrong, text before id, in our own words. */
  private explain(value: unknown): RecordProblem {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return { reason: "not-an-object", problem: `got ${describeValue(value)}; expected a JSON object` };
    }
    const record = value as Record<string, unknown>;
    const field = this.fields.textField;
    const text = record[field];
    if (text === undefined) return { reason: "missing-text", field, problem: `missing; ${EXPECTED_TEXT}` };
    if (text === null) return { reason: "missing-text", field, problem: `null; ${EXPECTED_TEXT}` };
    if (typeof text !== "string") return { reason: "non-string-text", field, problem: `got ${describeValue(text)}; ${EXPECTED_TEXT}` };
    if (text.trim() === "") return { reason: "empty-text", field, problem: "empty or whitespace-only; expected non-empty text" };
    const idField = this.fields.idField ?? "";
    return { reason: "bad-id", field: idField, problem: `got ${describeValue(record[idField])}; ${EXPECTED_ID}` };
  }
}

/** The problem of a record (a JSONL line, a text file, a parquet text value) over the size limit. */
export function tooLargeProblem(bytes: number, maxBytes: number): RecordProblem {
  return {
    reason: "too-large",
    problem: `${bytes} bytes; expected at most ${maxBytes} bytes per document (one that large is usually several documents run together: split it)`,
  };
}

/** "a number", "an array", "an empty string": the kind of a JSON value, for messages. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value === "") return "an empty string";
  switch (typeof value) {
    case "object":
      return "an object";
    case "undefined":
      return "nothing";
    case "bigint":
      return "a number";
    default:
      return `a ${typeof value}`;
  }
}
