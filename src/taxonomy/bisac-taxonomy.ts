import type { Subject } from "../core/records.js";
import { splitLabelPath } from "./label-path.js";
import { makeSubject } from "./make-subject.js";

/** The shape of @5stones/onix's BISAC table: code -> labels (first = primary) and see-alsos. */
export type BisacTable = Record<string, { labels: string[] }>;

/**
 * The embedded BISAC subject headings (from @5stones/onix): every label of every code is a
 * subject, ordered by code and then label index. id = the code for a code's first label and
 * `${code}.${i}` for its i-th extra label (i from 1); `code` = the code either way.
 *
 * The table is imported on first use because it is 800 KB of JavaScript that a run with a
 * custom taxonomy never needs.
 */
export async function loadBisacTaxonomy(): Promise<Subject[]> {
  const { BISAC } = await import("@5stones/onix/dist/data/bisac.js");
  return subjectsFromBisacTable(BISAC);
}

/**
 * Subjects from a BISAC table (see `loadBisacTaxonomy`). Codes are compared as plain strings
 * so the order does not depend on the locale. Throws when a label has an empty part, which
 * would mean the embedded data is broken rather than anything the user did.
 */
export function subjectsFromBisacTable(table: BisacTable): Subject[] {
  const subjects: Subject[] = [];
  const codes = Object.keys(table).sort((left, right) => (left < right ? -1 : left > right ? 1 : 0));
  for (const code of codes) {
    table[code]!.labels.forEach((label, index) => {
      const path = splitLabelPath(label);
      if (path.length === 0 || path.includes("")) {
        throw new Error(`embedded BISAC data: code ${code} has a malformed label ${JSON.stringify(label)}`);
      }
      subjects.push(makeSubject({ id: index === 0 ? code : `${code}.${index}`, code, path }));
    });
  }
  return subjects;
}
