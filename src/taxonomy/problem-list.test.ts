import { test } from "node:test";
import assert from "node:assert/strict";
import { InputError } from "../core/errors.js";
import { ProblemList } from "./problem-list.js";

test("no problems throws nothing", () => {
  new ProblemList("tax.csv").throwIfAny();
});

test("more than 100 problems lists the first 100 in file order and counts the rest", () => {
  const problems = new ProblemList("tax.csv");
  for (let line = 150; line >= 2; line -= 1) problems.add({ file: "tax.csv", line, field: "label" }, "empty");
  problems.add({ file: "tax.csv" }, "file-wide");
  assert.throws(() => problems.throwIfAny(), (error: unknown) => {
    assert.ok(error instanceof InputError);
    const lines = error.message.split("\n");
    assert.equal(lines.length, 102);
    assert.equal(lines[0], "tax.csv: 150 problems:");
    assert.equal(lines[1], "  - tax.csv: file-wide");
    assert.equal(lines[2], "  - tax.csv:2 field 'label': empty");
    assert.equal(lines[100], "  - tax.csv:100 field 'label': empty");
    assert.equal(lines[101], "  - ... and 50 more");
    return true;
  });
});
