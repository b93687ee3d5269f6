import { z } from "zod";
import type { ProblemList } from "./problem-list.js";
import { describeType, type TaxonomyRow } from "./read-taxonomy-table.js";
import { normalizeLabelPart, splitLabelPath } from "./label-path.js";

/**
 * Zod schemas for the fields of taxonomy rows. Every message is written for the person who
 * edits the file: what was found and what was expected, e.g. `empty; expected "SECTION / Sub"`.
 * Blank cells, null and NaN count as absent because CSV cannot say "absent" any other way and
 * pandas writes missing numbers as NaN. The optional fields end in `.optional()` because zod
 * counts an object key whose schema is a transform as required.
 */

function typeMessage(expected: string) {
  return (issue: { input: unknown }): string =>
    issue.input === undefined ? `missing; ${expected}` : `${expected}, got ${describeType(issue.input)}`;
}

function isAbsent(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === "number" && Number.isNaN(value));
}

/**
 * A required label path. `expected` finishes the messages (`expected "SECTION / Sub"`).
 * Output: the normalised parts, at least one, none empty.
 */
export function labelPathField(expected: string) {
  return z.string({ error: typeMessage(expected) }).transform((text, context) => {
    const path = splitLabelPath(text);
    if (path.length === 0) {
      context.addIssue({ code: "custom", message: `empty; ${expected}` });
      return z.NEVER;
    }
    if (path.includes("")) {
      context.addIssue({ code: "custom", message: `${JSON.stringify(text)} has an empty part; ${expected}` });
      return z.NEVER;
    }
    return path;
  });
}

/** An optional free text; blank or absent gives undefined. Whitespace is normalised. */
export const optionalTextField = z
  .unknown()
  .transform((value, context): string | undefined => {
    if (isAbsent(value)) return undefined;
    if (typeof value !== "string") {
      context.addIssue({ code: "custom", message: `expected a string, got ${describeType(value)}` });
      return z.NEVER;
    }
    const text = normalizeLabelPart(value);
    return text === "" ? undefined : text;
  })
  .optional();

/** An optional code: a string or a number (JSON and parquet may type "123" as a number). */
export const optionalCodeField = z
  .unknown()
  .transform((value, context): string | undefined => {
    if (isAbsent(value)) return undefined;
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "bigint") {
      context.addIssue({ code: "custom", message: `expected a string code, got ${describeType(value)}` });
      return z.NEVER;
    }
    const code = normalizeLabelPart(String(value));
    return code === "" ? undefined : code;
  })
  .optional();

/** An optional positive integer; CSV gives it as text, parquet INT64 as a bigint. */
export const optionalPositiveIntegerField = z
  .unknown()
  .transform((value, context): number | undefined => {
    if (isAbsent(value) || (typeof value === "string" && value.trim() === "")) return undefined;
    const number = toInteger(value);
    if (number === undefined || number < 1) {
      const shown = typeof value === "bigint" ? String(value) : JSON.stringify(value);
      context.addIssue({ code: "custom", message: `${shown}; expected a positive integer` });
      return z.NEVER;
    }
    return number;
  })
  .optional();

function toInteger(value: unknown): number | undefined {
  if (typeof value === "bigint") return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
  if (typeof value === "number") return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === "string" && /^\s*\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

/**
 * An optional list of categories to avoid: a list of strings, or one string (see
 * `parseAvoidList`). Absent or empty gives undefined.
 */
export const optionalAvoidListField = z
  .unknown()
  .transform((value, context): string[] | undefined => {
    if (isAbsent(value)) return undefined;
    let items: string[];
    if (typeof value === "string") items = parseAvoidList(value);
    else if (Array.isArray(value) && value.every((item) => typeof item === "string")) items = value;
    else {
      const got = Array.isArray(value) ? "a list with a non-string item" : describeType(value);
      context.addIssue({ code: "custom", message: `expected a string or a list of strings, got ${got}` });
      return z.NEVER;
    }
    const unique = [...new Set(items.map(normalizeLabelPart).filter((item) => item !== ""))];
    return unique.length === 0 ? undefined : unique;
  })
  .optional();

/**
 * Splits one avoid-string into categories. A list literal, JSON (`["A", "B"]`) or Python repr
 * (`['A', 'B']`, which is how a list lands in a string column), gives its quoted items. Other
 * text is split on ";", "|" and newlines, never on commas: BISAC headings contain commas
 * ("Body, Mind & Spirit"), and the avoid list only ends up joined in a prompt, so a
 * comma-separated string kept whole loses nothing.
 */
export function parseAvoidList(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith("[") && trimmed.endsWith("]")) return quotedItems(trimmed);
  return trimmed.split(/[;|\n]/);
}

function quotedItems(listText: string): string[] {
  try {
    const parsed: unknown = JSON.parse(listText);
    if (Array.isArray(parsed)) return parsed.map(String);
  } catch {
    // Not JSON: most likely a Python list repr with single quotes; read the quoted items below.
  }
  const items: string[] = [];
  for (const match of listText.matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g)) {
    items.push((match[1] ?? match[2] ?? "").replace(/\\(.)/g, "$1"));
  }
  return items;
}

/**
 * Validates one row against a schema. Every failing field becomes a problem at the row's
 * location with the field named; returns undefined then, so the caller skips the row and
 * carries on checking the rest of the file.
 */
export function parseTaxonomyRow<Output>(
  row: TaxonomyRow,
  schema: z.ZodType<Output>,
  problems: ProblemList,
): Output | undefined {
  const result = schema.safeParse(row.values);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const field = issue.path.length > 0 ? String(issue.path[0]) : undefined;
    problems.add({ ...row.location, field }, issue.message);
  }
  return undefined;
}
