import { before, test } from "node:test";
import assert from "node:assert/strict";
import type { Subject } from "../core/records.js";
import { ConfigError } from "../core/errors.js";
import { loadBisacTaxonomy } from "./bisac-taxonomy.js";
import { globToRegExp, selectSubjects } from "./select-subjects.js";

let bisac: Subject[] = [];

before(async () => {
  bisac = await loadBisacTaxonomy();
});

const ids = (subjects: Subject[]): string[] => subjects.map((subject) => subject.id);

test("no patterns selects every subject, in taxonomy order", () => {
  assert.deepEqual(ids(selectSubjects(bisac, [])), ids(bisac));
});

test("'COOKING*' selects the Cooking section case-insensitively", () => {
  const cooking = selectSubjects(bisac, ["COOKING*"]);
  assert.equal(cooking.length, 153);
  assert.equal(cooking[0]!.label, "Cooking / General");
  assert.equal(cooking.at(-1)!.label, "Cooking / Street Food");
  assert.ok(cooking.every((subject) => subject.section === "Cooking"));
});

test("'computers / programming*' lets * cross ' / ' and matches labels only from the start", () => {
  assert.deepEqual(ids(selectSubjects(bisac, ["computers / programming*"])), [
    "COM010000",
    "COM012040",
    "COM012040.1",
    "COM051000",
    "COM051210",
    "COM051220",
    "COM051220.1",
    "COM051300",
    "COM051370",
    "COM051380",
    "COM051390",
    "COM051460",
  ]);
  assert.deepEqual(ids(selectSubjects(bisac, ["computers/programming*"])), ids(selectSubjects(bisac, ["computers / programming*"])));
});

test("a code pattern selects every label of the matching codes", () => {
  const selected = selectSubjects(bisac, ["COM05*"]);
  assert.equal(selected.length, 48);
  assert.equal(new Set(selected.map((subject) => subject.code)).size, 45);
  assert.equal(selected[0]!.id, "COM050000");
  assert.equal(selected.at(-1)!.id, "COM059000.1");
});

test("? matches exactly one character; ids match too", () => {
  assert.deepEqual(ids(selectSubjects(bisac, ["com05?000"])), [
    "COM050000",
    "COM051000",
    "COM052000",
    "COM053000",
    "COM054000",
    "COM055000",
    "COM057000",
    "COM057000.1",
    "COM058000",
    "COM059000",
    "COM059000.1",
  ]);
  assert.deepEqual(ids(selectSubjects(bisac, ["COM059000.1"])), ["COM059000.1"]);
});

test("several patterns select the union, in taxonomy order, and maxSubjects caps it", () => {
  const patterns = ["computers / programming / general", "cooking / courses & dishes / pi*"];
  assert.deepEqual(ids(selectSubjects(bisac, patterns)), ["CKB063000", "CKB064000", "COM051000"]);
  assert.deepEqual(ids(selectSubjects(bisac, patterns, 2)), ["CKB063000", "CKB064000"]);
  assert.deepEqual(ids(selectSubjects(bisac, ["COOKING*"], 3)), ["CKB000000", "CKB001000", "CKB002000"]);
});

test("regular-expression characters in patterns are literal", () => {
  assert.deepEqual(ids(selectSubjects(bisac, ["*(incl. A+)"])), ["COM055010"]);
  assert.deepEqual(selectSubjects(bisac, ["Computers.*"]), []);
  assert.equal(globToRegExp("a.b*c?(d)").source, "^a\\.b.*c.\\(d\\)$");
});

test("blank patterns and a bad maxSubjects are reported together", () => {
  assert.throws(
    () => selectSubjects(bisac, ["Cooking*", " ", ""], 0),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(error.problems, [
        'subject pattern 2 is empty; expected a glob such as "Cooking / *"',
        'subject pattern 3 is empty; expected a glob such as "Cooking / *"',
        "maxSubjects must be a positive integer, got 0",
      ]);
      return true;
    },
  );
});
