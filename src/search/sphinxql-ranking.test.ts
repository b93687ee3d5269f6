import { test } from "node:test";
import assert from "node:assert/strict";
import { parseSphinxQlUrl } from "./sphinxql-address.js";
import { bm25fArguments, matchText, rankingOptions } from "./sphinxql-ranking.js";
import { layoutEngineUrl } from "./sphinx-cluster-layout.js";

test("query text keeps words only, joined for all or any", () => {
  assert.equal(matchText('Apple\'s "pie" -(MAYBE) crème', "all"), "apples pie maybe crème");
  assert.equal(matchText("a|b  c", "any"), "a | b | c");
});

test("the Sphinx 2 length correction restores k1(1 - b + b·dl/avgdl) with avgdl = 1/N_shard", () => {
  const collection = { documentCount: 3000, totalLength: 60_000, shardCount: 3 };
  const { k1, b } = bm25fArguments({ k1: 0.9, b: 0.4 }, collection, false);
  for (const length of [1, 20, 300]) {
    const sphinx = k1 * (1 - b + b * length * 1000);
    const lucene = 0.9 * (1 - 0.4 + (0.4 * length) / 20);
    assert.ok(Math.abs(sphinx - lucene) < 1e-12, `${sphinx} vs ${lucene}`);
  }
  assert.deepEqual(bm25fArguments({ k1: 0.9, b: 0.4 }, collection, true), { k1: 0.9, b: 0.4 });
  assert.equal(rankingOptions({ k1: 0.54, b: 1.2e-7 }, 5000, "local-df"), "ranker=expr('10000000*bm25f(0.54,0.00000012)'), idf='plain,tfidf_unnormalized', max_matches=5000, local_df=1");
});

test("engine addresses: the layout's URL parses back to its shards; bad ones name the problem", () => {
  const layout = { table: "lit", hosts: [{ host: "10.0.0.1", sqlPort: 9306, apiPort: 9312, shards: 2, dataDirectory: "/d" }, { host: "10.0.0.2", sqlPort: 9406, apiPort: 9412, shards: 1, dataDirectory: "/d" }] };
  const url = layoutEngineUrl(layout);
  assert.equal(url, "sphinxql://10.0.0.1:9306/lit?load=lit_h0_s0,lit_h0_s1,10.0.0.2:9406/lit_h1_s0");
  assert.deepEqual(parseSphinxQlUrl(url).load.map((shard) => `${shard.host}:${shard.port}/${shard.table}`), ["10.0.0.1:9306/lit_h0_s0", "10.0.0.1:9306/lit_h0_s1", "10.0.0.2:9406/lit_h1_s0"]);
  assert.throws(() => parseSphinxQlUrl("sphinxql://host:9306/"), /engine: missing or invalid table name in "sphinxql:\/\/host:9306\/"/);
  assert.throws(() => parseSphinxQlUrl("sphinxql://host/t?shards=1"), /unknown parameter "shards"/);
});
