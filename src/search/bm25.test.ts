import { test } from "node:test";
import assert from "node:assert/strict";
import { bm25Idf, bm25TermScore } from "./bm25.js";

test("idf is Lucene's ln(1 + (N - df + 0.5) / (df + 0.5))", () => {
  assert.equal(bm25Idf(10, 1), Math.log(1 + 9.5 / 1.5));
  assert.ok(bm25Idf(10, 10) > 0, "a term in every document still scores a little");
});

test("term score saturates with frequency and normalises by length", () => {
  const parameters = { k1: 1.2, b: 0.75 };
  // tf 2, length 10, average 5: norm = 1.2 * (0.25 + 0.75 * 2) = 2.1
  assert.equal(bm25TermScore(2, 2, 10, 5, parameters), (2 * 2) / (2 + 2.1));
  assert.equal(bm25TermScore(2, 1, 5, 5, { k1: 0.9, b: 0 }), 2 / 1.9);
});
