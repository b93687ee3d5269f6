import { test } from "node:test";
import assert from "node:assert/strict";
import type { CorpusDocument } from "../core/records.js";
import { DEFAULT_ANALYSIS } from "./analyzer.js";
import { ExactBm25IndexBuilder, type ExactBm25Engine } from "./exact-bm25-engine.js";

const texts = ["apple banana", "apple apple cherry", "banana cherry cherry date", "elderberry", "apple banana"];
const documents: CorpusDocument[] = texts.map((text, i) => ({ id: `d${i}`, text, source: { file: "/c.jsonl", locator: { kind: "line", line: i + 1, byteOffset: i * 10, byteLength: 9 } } }));
const bm25 = { k1: 0.9, b: 0.4 };

function build(): ExactBm25Engine {
  const builder = new ExactBm25IndexBuilder(DEFAULT_ANALYSIS);
  for (const document of documents) assert.equal(builder.add(document), true);
  assert.equal(builder.add(documents[0]!), false, "a repeated id is refused");
  return builder.finish();
}

// Independent of bm25.ts: the formula written out.
function expectedScore(tf: number, length: number, df: number): number {
  const idf = Math.log(1 + (5 - df + 0.5) / (df + 0.5));
  return (idf * tf) / (tf + 0.9 * (1 - 0.4 + (0.4 * length) / (12 / 5)));
}

test("statistics cover the whole collection", () => {
  assert.deepEqual(build().statistics(), { documentCount: 5, termCount: 5, totalLength: 12, averageDocumentLength: 2.4 });
});

test("any-term search scores every matching document exactly and breaks ties by corpus order", async () => {
  const hits = await build().search("apple cherry", { k: 10, match: "any", bm25 });
  assert.deepEqual(hits.map((hit) => hit.docId), ["d1", "d2", "d0", "d4"]);
  assert.equal(hits[0]!.score, expectedScore(2, 3, 3) + expectedScore(1, 3, 2));
  assert.equal(hits[1]!.score, expectedScore(2, 4, 2));
  assert.equal(hits[2]!.score, expectedScore(1, 2, 3));
  assert.equal(hits[2]!.score, hits[3]!.score);
});

test("all-terms search keeps only documents with every term; an unknown term matches nothing", async () => {
  const engine = build();
  assert.deepEqual((await engine.search("banana cherry", { k: 10, match: "all", bm25 })).map((hit) => hit.docId), ["d2"]);
  assert.deepEqual(await engine.search("banana zucchini", { k: 10, match: "all", bm25 }), []);
  assert.deepEqual((await engine.search("banana zucchini", { k: 1, match: "any", bm25 })).map((hit) => hit.docId), ["d0"]);
  assert.deepEqual(await engine.search("the of", { k: 10, match: "any", bm25 }), [], "a query of stopwords matches nothing");
});
