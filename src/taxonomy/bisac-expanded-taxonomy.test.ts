import { test } from "node:test";
import assert from "node:assert/strict";
import { InputError } from "../core/errors.js";
import { subjectsFromBisacExpandedRows } from "./bisac-expanded-taxonomy.js";
import { ProblemList } from "./problem-list.js";
import type { TaxonomyRow } from "./read-taxonomy-table.js";
import { parseAvoidList } from "./taxonomy-fields.js";

function rows(...values: Record<string, unknown>[]): TaxonomyRow[] {
  return values.map((value, row) => ({ location: { file: "tax.parquet", row }, values: value }));
}

test("parseAvoidList reads JSON lists, Python list reprs and ;/| separated text, never splitting on commas", () => {
  assert.deepEqual(parseAvoidList('["Art", "Music"]'), ["Art", "Music"]);
  assert.deepEqual(parseAvoidList("['Art', 'Children\\'s Books', \"Body, Mind & Spirit\"]"), [
    "Art",
    "Children's Books",
    "Body, Mind & Spirit",
  ]);
  assert.deepEqual(parseAvoidList("[]"), []);
  assert.deepEqual(parseAvoidList("Fiction; Body, Mind & Spirit | Poetry\nDrama"), [
    "Fiction",
    " Body, Mind & Spirit ",
    " Poetry",
    "Drama",
  ]);
});

test("rows of one pair merge; the first expansion_factor and code win; later pairs sharing a code get .1", () => {
  const problems = new ProblemList("tax.parquet");
  const subjects = subjectsFromBisacExpandedRows(
    rows(
      { top_category: "Art", subcategory: "Glass", subtopic: "Stained glass", code: "ART057000", expansion_factor: 2n, not: "Crafts & Hobbies / Glass" },
      { top_category: "Art", subcategory: "Glass", subtopic: "Stained glass", code: null, expansion_factor: 9, not: "['Design']" },
      { top_category: "Art", subcategory: "Glass", subtopic: "Murano", code: "ART999999", expansion_factor: NaN, not: NaN },
      { top_category: "Art", subcategory: "Ceramics", subtopic: "", code: "ART057000", expansion_factor: "3", not: "" },
    ),
    problems,
  );
  assert.deepEqual(problems.problems, []);
  assert.deepEqual(
    subjects.map(({ subject, location, idField }) => [subject, location, idField]),
    [
      [
        {
          id: "ART057000",
          code: "ART057000",
          section: "Art",
          path: ["Art", "Glass"],
          label: "Art / Glass",
          notes: "Stained glass; Murano",
          avoid: ["Crafts & Hobbies / Glass", "Design"],
          topicsWanted: 2,
        },
        { file: "tax.parquet", row: 0 },
        "code",
      ],
      [
        { id: "ART057000.1", code: "ART057000", section: "Art", path: ["Art", "Ceramics"], label: "Art / Ceramics", topicsWanted: 3 },
        { file: "tax.parquet", row: 3 },
        "code",
      ],
    ],
  );
});

test("a pair whose label has no ASCII letters and no code is reported at its first row", () => {
  const problems = new ProblemList("tax.parquet");
  const subjects = subjectsFromBisacExpandedRows(rows({ top_category: "日本", subcategory: "東京" }), problems);
  assert.deepEqual(subjects, []);
  assert.throws(() => problems.throwIfAny(), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.equal(
      error.message,
      `tax.parquet row 0 field 'subcategory': "日本 / 東京" gives an empty id (no ASCII letters or digits); add a code`,
    );
    return true;
  });
});
