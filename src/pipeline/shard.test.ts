import { test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError } from "../core/errors.js";
import { ownsTopic, shardOfRun, shardPart } from "./shard.js";

test("shardOfRun parses i/N and is undefined for a whole run", () => {
  assert.equal(shardOfRun({ shard: undefined, maxDocUses: undefined }), undefined);
  assert.deepEqual(shardOfRun({ shard: "1/3", maxDocUses: undefined }), { index: 1, count: 3 });
  assert.deepEqual(shardOfRun({ shard: "0/1", maxDocUses: undefined }), { index: 0, count: 1 });
});

test("shardOfRun refuses bad shards and options whose state crosses topics, all at once", () => {
  const problems = (shard: string, maxDocUses?: number) => {
    try {
      shardOfRun({ shard, maxDocUses });
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      return error.problems;
    }
    assert.fail("expected a ConfigError");
  };
  assert.deepEqual(problems("2/2"), ['shard: "2/2": i must be in 0..1 (shards are numbered from 0)']);
  assert.deepEqual(problems("0/0"), ['shard: "0/0": N must be at least 1']);
  assert.deepEqual(problems("1-2"), ['shard: "1-2" is not i/N (e.g. 0/2: the first of two shards)']);
  assert.deepEqual(problems("3/2", 1), [
    'shard: "3/2": i must be in 0..1 (shards are numbered from 0)',
    "maxDocUses: counts document uses across all topics, so it cannot be split into shards; drop --max-doc-uses or --shard",
  ]);
});

test("topics are dealt round-robin: every topic on exactly one shard, in order", () => {
  const topics = ["a", "b", "c", "d", "e", "f", "g"];
  const parts = [0, 1, 2].map((index) => shardPart(topics, { index, count: 3 }, false));
  assert.deepEqual(parts, [["a", "d", "g"], ["b", "e"], ["c", "f"]]);
  assert.deepEqual(shardPart(parts[1]!, { index: 1, count: 3 }, true), ["b", "e"], "an input that is already the shard's part is kept whole");
  assert.deepEqual(shardPart(topics, undefined, false), topics);
  assert.equal(ownsTopic({ index: 2, count: 3 }, 5), true);
  assert.equal(ownsTopic({ index: 2, count: 3 }, 6), false);
});
