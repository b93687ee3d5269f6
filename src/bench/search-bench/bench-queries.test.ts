import { test } from "node:test";
import assert from "node:assert/strict";
import type { Subject } from "../../core/records.js";
import { loadTaxonomy } from "../../taxonomy/index.js";
import { benchQueries } from "./bench-queries.js";
import type { TextFile } from "./bench-text-sources.js";

const SUBJECTS: Subject[] = [
  { id: "COM051360", section: "Computers", path: ["Computers", "Programming Languages", "Python"], label: "Computers / Programming Languages / Python" },
  { id: "COM000000", section: "Computers", path: ["Computers", "General"], label: "Computers / General" },
  { id: "X", section: "A", path: ["A"], label: "A" },
];
const FILES: TextFile[] = [{ name: "f", paragraphs: ["The kernel schedules processes and threads on every processor of the machine."] }];

test("queries alternate heading words and corpus words, 2-4 distinct plain words in source order", () => {
  const queries = benchQueries(SUBJECTS, FILES, 40, 11);
  assert.equal(queries.length, 40);
  const headingOrder = ["computers", "programming", "languages", "python", "general"];
  const textOrder = ["kernel", "schedules", "processes", "threads", "every", "processor", "machine"];
  queries.forEach((query, index) => {
    const words = query.split(" ");
    assert.ok(words.length >= 2 && words.length <= 4, query);
    const order = index % 2 === 0 ? headingOrder : textOrder;
    const positions = words.map((word) => order.indexOf(word));
    assert.ok(positions.every((position) => position >= 0), `${query} not from its source`);
    assert.deepEqual(positions, positions.slice().sort((a, b) => a - b), `${query} out of order`);
  });
});

test("stopwords and words sharing a stem are left out", () => {
  const files: TextFile[] = [{ name: "f", paragraphs: ["the process of processing and the processes is in the processor"] }];
  const words = new Set(benchQueries(SUBJECTS.slice(0, 1), files, 50, 2).filter((_, index) => index % 2 === 1).flatMap((query) => query.split(" ")));
  assert.deepEqual([...words].sort(), ["process", "processor"]);
});

test("the same seed gives the same 10,000 queries from the BISAC headings", async () => {
  const subjects = await loadTaxonomy("bisac");
  const first = benchQueries(subjects, FILES, 10_000, 1);
  assert.deepEqual(benchQueries(subjects, FILES, 10_000, 1), first);
  assert.notDeepEqual(benchQueries(subjects, FILES, 10_000, 2), first);
  assert.equal(first.length, 10_000);
});
