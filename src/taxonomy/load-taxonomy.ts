import { stat } from "node:fs/promises";
import { extname } from "node:path";
import { ConfigError, InputError } from "../core/errors.js";
import type { Subject } from "../core/records.js";
import { BISAC_EXPANDED_COLUMNS, isBisacExpandedLayout, subjectsFromBisacExpandedRows } from "./bisac-expanded-taxonomy.js";
import { loadBisacTaxonomy } from "./bisac-taxonomy.js";
import { LABELLED_COLUMNS, subjectsFromLabelledRows } from "./labelled-taxonomy.js";
import { ProblemList } from "./problem-list.js";
import { readTaxonomyTable, TAXONOMY_EXTENSIONS, taxonomyFormatOf, type TaxonomyTable } from "./read-taxonomy-table.js";
import { reportDuplicateSubjects, type LocatedSubject } from "./unique-subjects.js";

/** The source name of the embedded BISAC taxonomy (compared case-insensitively). */
export const BISAC_SOURCE = "bisac";

/**
 * Loads a subject taxonomy.
 *
 * @param source - "bisac" (the default of the CLI) for the embedded BISAC headings, or a path
 *   to a custom taxonomy: .csv, .json (an array of objects), .jsonl or .parquet. Two layouts
 *   are told apart by their columns: `code,label` (label = "SECTION / Sub / Sub", code optional)
 *   and the Hugging Face bisac_expanded_final layout (top_category, subcategory, subtopic, code,
 *   expansion_factor, not).
 * @returns The subjects in taxonomy order: BISAC by code, custom files in file order.
 * @throws ConfigError for an unknown extension or a missing file; InputError naming the file
 *   (and every bad line or row with its field) for bad content, no subjects or duplicate ids.
 */
export async function loadTaxonomy(source: string): Promise<Subject[]> {
  if (source.trim().toLowerCase() === BISAC_SOURCE) return loadBisacTaxonomy();
  const format = taxonomyFormatOf(source);
  if (format === undefined) {
    const found = extname(source) === "" ? "has no file extension" : `has the unknown extension "${extname(source)}"`;
    const known = `${TAXONOMY_EXTENSIONS.slice(0, -1).join(", ")} or ${TAXONOMY_EXTENSIONS.at(-1)}`;
    throw new ConfigError([`taxonomy "${source}" ${found}; expected "${BISAC_SOURCE}" or a ${known} file`]);
  }
  await checkIsFile(source);
  const problems = new ProblemList(source);
  const table = await readTaxonomyTable(source, format, problems);
  const subjects = subjectsFromTable(source, table, problems);
  reportDuplicateSubjects(subjects, problems);
  problems.throwIfAny();
  if (subjects.length === 0) {
    throw new InputError({ file: source }, "the taxonomy is empty; expected at least one subject row");
  }
  return subjects.map(({ subject }) => subject);
}

async function checkIsFile(file: string): Promise<void> {
  let isFile: boolean;
  try {
    isFile = (await stat(file)).isFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new ConfigError([`taxonomy file "${file}" does not exist`]);
    }
    throw error;
  }
  if (!isFile) throw new ConfigError([`taxonomy "${file}" is not a file`]);
}

/** Picks the layout by the columns present; rows of an unknown layout are one problem, not one each. */
function subjectsFromTable(file: string, table: TaxonomyTable, problems: ProblemList): LocatedSubject[] {
  if (table.rows.length === 0) return [];
  if (isBisacExpandedLayout(table.columns)) return subjectsFromBisacExpandedRows(table.rows, problems);
  if (table.columns.includes("label")) return subjectsFromLabelledRows(table.rows, problems);
  const found = table.columns.map((column) => JSON.stringify(column)).join(", ");
  problems.add(
    { file },
    `unknown layout: columns ${found}; expected ${LABELLED_COLUMNS.join(",")} ` +
      `or the bisac_expanded_final columns ${BISAC_EXPANDED_COLUMNS.join(",")}`,
  );
  return [];
}
