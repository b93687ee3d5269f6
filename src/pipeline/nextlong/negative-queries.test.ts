import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_ANALYSIS } from "../../search/analyzer.js";
import { NegativeQueryBuilder } from "./negative-queries.js";

test("a chunk's query keeps its top terms by tf x idf over the pool, each written as its first surface word", () => {
  const builder = new NegativeQueryBuilder(DEFAULT_ANALYSIS, 2);
  const chunks = ["Running runs the cherry banana", "banana date", "banana fig"];
  for (const chunk of chunks) builder.addChunk(chunk);
  // run: tf 2, df 1; cherri: tf 1, df 1; banana: df 3 (idf 0.13); "the" is a stopword.
  assert.equal(builder.queryFor(chunks[0]!), "Running cherry");
  // fig and date weigh the same (tf 1, df 1): the tie goes to the term that sorts first.
  assert.equal(builder.queryFor("fig date"), "date fig");
  assert.equal(builder.queryFor("the of and"), "");
});
