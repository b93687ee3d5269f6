/**
 * Label paths: the "SECTION / Sub / Sub" strings every taxonomy source is reduced to. The
 * hierarchy of a taxonomy comes from these paths, never from codes, because BISAC codes do not
 * always encode it (a code's extra labels can sit anywhere in its section).
 */

/** What separates the parts of a label path in every source and in `Subject.label`. */
export const LABEL_SEPARATOR = " / ";

/**
 * One part of a label path with non-breaking spaces (U+00A0, U+202F) and runs of whitespace
 * turned into single spaces, trimmed. Scraped headings carry such spaces, and two labels that
 * differ only by them must be the same subject.
 */
export function normalizeLabelPart(text: string): string {
  return text.replace(/[\s\u00a0\u202f]+/gu, " ").trim();
}

/**
 * Splits "SECTION / Sub / Sub" on "/" and normalises each part. A blank text gives [];
 * a part that is blank after normalising stays in the result as "" so callers can report it.
 */
export function splitLabelPath(text: string): string[] {
  if (normalizeLabelPart(text) === "") return [];
  return text.split("/").map(normalizeLabelPart);
}

/** The path joined with " / " (the `Subject.label` form). */
export function joinLabelPath(path: readonly string[]): string {
  return path.join(LABEL_SEPARATOR);
}

/**
 * A stable id for a subject without a code: the label path in lower-case ASCII with every run
 * of other characters turned into "-" ("Cooking / Regional & Ethnic" -> "cooking-regional-ethnic").
 * Accents are folded first so "Métis" gives "metis" rather than "m-tis". May be "" for a label
 * with no ASCII letters or digits at all; callers must treat that as an error.
 */
export function slugLabelPath(path: readonly string[]): string {
  return joinLabelPath(path)
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}
