import { test } from "node:test";
import assert from "node:assert/strict";
import { loadBisacTaxonomy, subjectsFromBisacTable } from "./bisac-taxonomy.js";

test("the embedded BISAC taxonomy has every label of every code as a subject", async () => {
  const subjects = await loadBisacTaxonomy();
  assert.equal(subjects.length, 6056);
  assert.equal(new Set(subjects.map((subject) => subject.code)).size, 5506);
  assert.equal(new Set(subjects.map((subject) => subject.section)).size, 53);
  const depths = new Map<number, number>();
  for (const subject of subjects) depths.set(subject.path.length, (depths.get(subject.path.length) ?? 0) + 1);
  assert.deepEqual([...depths].sort(([left], [right]) => left - right), [[2, 2324], [3, 3338], [4, 394]]);
  assert.equal(new Set(subjects.map((subject) => subject.id)).size, 6056);
  assert.equal(new Set(subjects.map((subject) => subject.label)).size, 6056);
});

test("BISAC subjects are ordered by code, then label index", async () => {
  const subjects = await loadBisacTaxonomy();
  assert.deepEqual(subjects[0], {
    id: "ANT000000",
    code: "ANT000000",
    section: "Antiques & Collectibles",
    path: ["Antiques & Collectibles", "General"],
    label: "Antiques & Collectibles / General",
  });
  assert.equal(subjects.at(-1)!.id, "YAN065000");
  const codes = subjects.map((subject) => subject.code!);
  assert.deepEqual(codes, [...codes].sort());
});

test("a BISAC code with two labels gives two subjects: the code, then code.1", async () => {
  const subjects = await loadBisacTaxonomy();
  assert.deepEqual(
    subjects.filter((subject) => subject.code === "COM059000"),
    [
      {
        id: "COM059000",
        code: "COM059000",
        section: "Computers",
        path: ["Computers", "Computer Engineering"],
        label: "Computers / Computer Engineering",
      },
      {
        id: "COM059000.1",
        code: "COM059000",
        section: "Computers",
        path: ["Computers", "Computer Industry"],
        label: "Computers / Computer Industry",
      },
    ],
  );
});

test("the hierarchy comes from the label paths, not the codes", async () => {
  const subjects = await loadBisacTaxonomy();
  const diseases = subjects.filter((subject) => subject.code === "MED022000");
  assert.equal(diseases.length, 23);
  assert.deepEqual(diseases[0]!.path, ["Medical", "Diseases"]);
  assert.deepEqual(diseases[1]!.path, ["Medical", "Diseases", "Abdominal"]);
  assert.equal(diseases[1]!.id, "MED022000.1");
});

test("subjectsFromBisacTable normalises spaces and sorts codes as plain strings", () => {
  const subjects = subjectsFromBisacTable({
    ZZZ000000: { labels: ["Zebra\u00a0Studies / General"] },
    AAA001000: { labels: ["Apples /  Crab\u202fApples", "Apples / Cider"] },
  });
  assert.deepEqual(
    subjects.map((subject) => [subject.id, subject.label]),
    [
      ["AAA001000", "Apples / Crab Apples"],
      ["AAA001000.1", "Apples / Cider"],
      ["ZZZ000000", "Zebra Studies / General"],
    ],
  );
});

test("subjectsFromBisacTable rejects a malformed embedded label", () => {
  assert.throws(() => subjectsFromBisacTable({ BAD000000: { labels: ["Bad / / Label"] } }), {
    message: 'embedded BISAC data: code BAD000000 has a malformed label "Bad / / Label"',
  });
});
