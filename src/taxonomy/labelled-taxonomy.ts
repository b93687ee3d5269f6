import { z } from "zod";
import { joinLabelPath, slugLabelPath } from "./label-path.js";
import { makeSubject } from "./make-subject.js";
import type { ProblemList } from "./problem-list.js";
import type { TaxonomyRow } from "./read-taxonomy-table.js";
import { labelPathField, optionalCodeField, parseTaxonomyRow } from "./taxonomy-fields.js";
import type { LocatedSubject } from "./unique-subjects.js";

/** Columns of the plain layout: `label` is required, `code` optional. */
export const LABELLED_COLUMNS = ["code", "label"] as const;

const labelledRowSchema = z.object({
  code: optionalCodeField,
  label: labelPathField('expected "SECTION / Sub"'),
});

/**
 * Subjects from rows of the plain layout, one subject per row in file order:
 * `label` = "SECTION / Sub / Sub", `code` optional. id = the code, else a slug of the label
 * path. Bad rows go to `problems` and are left out.
 */
export function subjectsFromLabelledRows(rows: readonly TaxonomyRow[], problems: ProblemList): LocatedSubject[] {
  const subjects: LocatedSubject[] = [];
  for (const row of rows) {
    const parsed = parseTaxonomyRow(row, labelledRowSchema, problems);
    if (parsed === undefined) continue;
    const { code, label: path } = parsed;
    const id = code ?? slugLabelPath(path);
    if (id === "") {
      const problem = `${JSON.stringify(joinLabelPath(path))} gives an empty id (no ASCII letters or digits); add a code`;
      problems.add({ ...row.location, field: "label" }, problem);
      continue;
    }
    const subject = makeSubject({ id, code, path });
    subjects.push({ subject, location: row.location, idField: code === undefined ? "label" : "code" });
  }
  return subjects;
}
