import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { CorpusDocument } from "../core/records.js";
import { searchdMissing, startSearchdCluster, type SearchdCluster } from "../test-support/searchd-cluster.js";
import { DEFAULT_ANALYSIS } from "./analyzer.js";
import { shardNames } from "./sphinx-cluster-layout.js";
import { parseSphinxQlUrl, type SphinxQlAddress } from "./sphinxql-address.js";
import { SphinxQlError } from "./sphinxql-connection.js";
import { SphinxQlEngine } from "./sphinxql-engine.js";
import { SphinxQlIndexBuilder } from "./sphinxql-index-builder.js";

const skip = searchdMissing();
if (skip) console.log(`skipping the SphinxQL engine tests: ${skip}`);

const texts = ["apple banana", "apple apple cherry", "banana cherry cherry date", "elderberry", "apple banana"];
const documents: CorpusDocument[] = texts.map((text, i) => ({ id: `d${i}`, text, source: { file: "/c.jsonl", locator: { kind: "line", line: i + 1, byteOffset: i * 10, byteLength: 9 } } }));
const bm25 = { k1: 0.9, b: 0.4 };

let cluster: SearchdCluster;
before(async () => {
  if (!skip) cluster = await startSearchdCluster(DEFAULT_ANALYSIS);
});
after(async () => {
  await cluster?.stop();
});

/** One real-time shard of host 0 used alone: collection statistics are then the whole corpus's. */
function singleShard(): SphinxQlAddress {
  const { host, sqlPort } = cluster.layout.hosts[0]!;
  const table = { host, port: sqlPort, table: shardNames(cluster.layout, 0)[0]! };
  return { query: table, load: [table] };
}

async function load(address: SphinxQlAddress, corpus: CorpusDocument[]): Promise<SphinxQlEngine> {
  const builder = await SphinxQlIndexBuilder.start(address, DEFAULT_ANALYSIS, { batchDocuments: 2 });
  for (const document of corpus) assert.equal(await builder.add(document), true);
  assert.equal(await builder.add(corpus[0]!), false, "a repeated id is refused");
  return builder.finish();
}

// Independent of the adapter: BM25 as Sphinx computes it with plain IDF, ln(N/df) / (2 ln(N+1)).
function expectedScore(tf: number, length: number, df: number): number {
  const idf = Math.log(5 / df) / (2 * Math.log(6));
  return (idf * tf) / (tf + 0.9 * (1 - 0.4 + (0.4 * length) / (12 / 5)));
}

test("one shard: statistics, length-normalised BM25 scores and ties by corpus order", { skip }, async () => {
  const engine = await load(singleShard(), documents);
  assert.deepEqual(engine.statistics(), { documentCount: 5, termCount: 0, totalLength: 12, averageDocumentLength: 2.4 });
  const hits = await engine.search("Apple's CHERRY!", { k: 10, match: "any", bm25 });
  assert.deepEqual(hits.map((hit) => hit.docId), ["d1", "d2", "d0", "d4"]);
  const expected = [expectedScore(2, 3, 3) + expectedScore(1, 3, 2), expectedScore(2, 4, 2), expectedScore(1, 2, 3), expectedScore(1, 2, 3)];
  // Float32 arithmetic in searchd and the integer WEIGHT() leave about 1e-7.
  hits.forEach((hit, i) => assert.ok(Math.abs(hit.score - expected[i]!) < 1e-6, `${hit.docId}: ${hit.score} vs ${expected[i]}`));
  assert.equal(hits[2]!.score, hits[3]!.score);
  assert.deepEqual(engine.documentSource("d2"), documents[2]!.source);
});

test("one shard: all-terms search, unknown terms and stopword-only queries", { skip }, async () => {
  const engine = await load(singleShard(), documents);
  assert.deepEqual((await engine.search("banana cherry", { k: 10, match: "all", bm25 })).map((hit) => hit.docId), ["d2"]);
  assert.deepEqual(await engine.search("banana zucchini", { k: 10, match: "all", bm25 }), []);
  assert.deepEqual((await engine.search("banana zucchini", { k: 1, match: "any", bm25 })).map((hit) => hit.docId), ["d0"]);
  assert.deepEqual(await engine.search("the of", { k: 10, match: "any", bm25 }), []);
  assert.deepEqual(await engine.search("(banana) | -\"date\" MAYBE", { k: 10, match: "all", bm25 }), [], "query syntax is stripped, not interpreted");
});

test("distributed table over both searchd processes: every shard answers, k above 1000, pointers fetched back", { skip }, async () => {
  assert.notEqual(cluster.pids[0], cluster.pids[1]);
  const address = parseSphinxQlUrl(cluster.url);
  assert.equal(address.load.length, 3);
  assert.equal(address.load[2]!.port, cluster.layout.hosts[1]!.sqlPort, "the third shard lives on the agent process");
  const corpus: CorpusDocument[] = Array.from({ length: 1500 }, (_, i) => ({ id: `n${i}`, text: `common word${i}`, source: { file: `/f${i % 7}.jsonl`, locator: { kind: "row", row: i } } }));
  const engine = await load(address, corpus);
  assert.equal(engine.statistics().documentCount, 1500);
  assert.equal(engine.statistics().totalLength, 3000);
  // Every document scores the same (one term in every document), so the order is the corpus order.
  const hits = await engine.search("common", { k: 1200, match: "any", bm25 });
  assert.deepEqual(hits.map((hit) => hit.docId), corpus.slice(0, 1200).map((document) => document.id));
  const [agentHit] = await engine.search("word1402", { k: 5, match: "all", bm25 });
  assert.equal(agentHit!.docId, "n1402", "document 1402 went to shard 1402 mod 3 = 2, on the agent");

  const fresh = await SphinxQlEngine.open(address, DEFAULT_ANALYSIS);
  assert.equal(fresh.documentSource("n1402"), undefined);
  await fresh.loadDocumentSources(["n1402", "n3", "n0", "missing"]);
  assert.deepEqual(fresh.documentSource("n1402"), corpus[1402]!.source);
  assert.deepEqual(fresh.documentSource("n3"), corpus[3]!.source);
  assert.equal(fresh.documentSource("missing"), undefined);
});

test("an unreachable searchd is a SphinxQlError naming the address", { skip }, async () => {
  const address = parseSphinxQlUrl("sphinxql://127.0.0.1:1/nothing");
  await assert.rejects(SphinxQlEngine.open(address, DEFAULT_ANALYSIS), (error: unknown) => error instanceof SphinxQlError && /^sphinxql 127\.0\.0\.1:1\/nothing: /.test(error.message) && error.retryable);
});
