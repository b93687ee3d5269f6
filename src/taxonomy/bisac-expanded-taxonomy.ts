import { z } from "zod";
import type { InputLocation } from "../core/errors.js";
import { joinLabelPath, slugLabelPath } from "./label-path.js";
import { makeSubject } from "./make-subject.js";
import type { ProblemList } from "./problem-list.js";
import type { TaxonomyRow } from "./read-taxonomy-table.js";
import {
  labelPathField,
  optionalAvoidListField,
  optionalCodeField,
  optionalPositiveIntegerField,
  optionalTextField,
  parseTaxonomyRow,
} from "./taxonomy-fields.js";
import type { LocatedSubject } from "./unique-subjects.js";

/**
 * Columns of the Hugging Face dataset HuggingFaceTB/bisac_expanded_final as the LiteLong
 * release reads it. One row per (top_category, subcategory, subtopic): the subtopics are
 * topics an earlier pipeline already generated below a subcategory, and the release asks its
 * debaters for new topics per (top_category, subcategory) pair, taking `not` and
 * `expansion_factor` from the pair's first row.
 */
export const BISAC_EXPANDED_COLUMNS = ["top_category", "subcategory", "subtopic", "code", "expansion_factor", "not"];

/** True when a table has the columns that identify the bisac_expanded_final layout. */
export function isBisacExpandedLayout(columns: readonly string[]): boolean {
  return columns.includes("top_category") && columns.includes("subcategory");
}

const bisacExpandedRowSchema = z.object({
  top_category: labelPathField('expected a section such as "Computers"'),
  subcategory: labelPathField('expected a subcategory such as "Programming / Python"'),
  subtopic: optionalTextField,
  code: optionalCodeField,
  expansion_factor: optionalPositiveIntegerField,
  not: optionalAvoidListField,
});

interface SubjectGroup {
  location: InputLocation;
  path: string[];
  code: string | undefined;
  subtopics: string[];
  avoid: string[];
  topicsWanted: number | undefined;
}

/**
 * Subjects from rows of the bisac_expanded_final layout: one subject per (top_category,
 * subcategory) pair, in order of first appearance, because that pair is the unit topics are
 * generated for. path = [top_category, ...subcategory split on "/"] (the release's file keys
 * replace "/" in these names, so subcategories can nest like BISAC headings do). The pair's
 * subtopics become `notes` ("; "-joined, duplicates dropped); `avoid` is the union of its rows'
 * `not` lists; `topicsWanted` is the first row's expansion_factor, as the release takes it.
 * id = code, with ".1", ".2", ... for later pairs sharing a code (the BISAC scheme for a
 * code's extra labels), else a slug of the label path.
 */
export function subjectsFromBisacExpandedRows(rows: readonly TaxonomyRow[], problems: ProblemList): LocatedSubject[] {
  const groups = new Map<string, SubjectGroup>();
  for (const row of rows) {
    const parsed = parseTaxonomyRow(row, bisacExpandedRowSchema, problems);
    if (parsed === undefined) continue;
    const path = [...parsed.top_category, ...parsed.subcategory];
    const key = joinLabelPath(path);
    let group = groups.get(key);
    if (group === undefined) {
      group = { location: row.location, path, code: undefined, subtopics: [], avoid: [], topicsWanted: undefined };
      groups.set(key, group);
    }
    group.code ??= parsed.code;
    group.topicsWanted ??= parsed.expansion_factor;
    if (parsed.subtopic !== undefined && !group.subtopics.includes(parsed.subtopic)) group.subtopics.push(parsed.subtopic);
    for (const item of parsed.not ?? []) if (!group.avoid.includes(item)) group.avoid.push(item);
  }
  return subjectsFromGroups([...groups.values()], problems);
}

function subjectsFromGroups(groups: readonly SubjectGroup[], problems: ProblemList): LocatedSubject[] {
  const usesByCode = new Map<string, number>();
  const subjects: LocatedSubject[] = [];
  for (const group of groups) {
    let id: string;
    if (group.code !== undefined) {
      const uses = usesByCode.get(group.code) ?? 0;
      usesByCode.set(group.code, uses + 1);
      id = uses === 0 ? group.code : `${group.code}.${uses}`;
    } else {
      id = slugLabelPath(group.path);
      if (id === "") {
        const problem = `${JSON.stringify(joinLabelPath(group.path))} gives an empty id (no ASCII letters or digits); add a code`;
        problems.add({ ...group.location, field: "subcategory" }, problem);
        continue;
      }
    }
    const subject = makeSubject({
      id,
      code: group.code,
      path: group.path,
      notes: group.subtopics.length > 0 ? group.subtopics.join("; ") : undefined,
      avoid: group.avoid.length > 0 ? group.avoid : undefined,
      topicsWanted: group.topicsWanted,
    });
    subjects.push({ subject, location: group.location, idField: group.code === undefined ? "subcategory" : "code" });
  }
  return subjects;
}
