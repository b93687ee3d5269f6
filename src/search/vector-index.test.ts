import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { seededRandom } from "../core/seeded-random.js";
import { temporaryDirectory } from "../test-support/fixtures.js";
import { VectorIndex } from "./vector-index.js";

/** 500 random 16-dimensional vectors, then copies of the first 5 (ties). */
function vectors(): Float32Array[] {
  const random = seededRandom(7);
  const list = Array.from({ length: 500 }, () => Float32Array.from({ length: 16 }, () => random() - 0.5));
  return [...list, ...list.slice(0, 5).map((vector) => Float32Array.from(vector))];
}

function cosineDistance(a: Float32Array, b: Float32Array): number {
  let dot = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    aa += a[i]! ** 2;
    bb += b[i]! ** 2;
  }
  return 1 - dot / Math.sqrt(aa * bb);
}

test("the nearest vectors come back closest first, as brute force finds them; equal distances in key order", () => {
  const list = vectors();
  const index = VectorIndex.build(list);
  assert.equal(index.size, 505);
  const queries = [0, 3, 42, 499].map((key) => list[key]!);
  const found = index.search(queries, 10, 1);
  queries.forEach((query, i) => {
    const brute = list.map((vector, key) => ({ key, distance: cosineDistance(query, vector) })).sort((a, b) => a.distance - b.distance || a.key - b.key).slice(0, 10);
    assert.deepEqual(found[i]!.map((neighbor) => neighbor.key), brute.map((neighbor) => neighbor.key));
  });
  // Key 3 and its copy 503 are both at distance 0: the smaller key first.
  assert.deepEqual(found[1]!.slice(0, 2).map((neighbor) => neighbor.key), [3, 503]);
});

test("building twice writes the same file; the saved index answers as the built one, on any number of threads", async () => {
  const directory = temporaryDirectory();
  const list = vectors();
  const first = VectorIndex.build(list);
  await first.save(join(directory, "a.usearch"));
  await VectorIndex.build(list).save(join(directory, "b.usearch"));
  assert.ok(readFileSync(join(directory, "a.usearch")).equals(readFileSync(join(directory, "b.usearch"))));
  const loaded = VectorIndex.load(join(directory, "a.usearch"), 16);
  assert.deepEqual(loaded.search(list.slice(0, 50), 8, 2), first.search(list.slice(0, 50), 8, 1));
});

test("asking for more neighbours than vectors gives them all", () => {
  const index = VectorIndex.build([Float32Array.of(1, 0), Float32Array.of(0, 1), Float32Array.of(1, 1)]);
  assert.deepEqual(index.search([Float32Array.of(1, 0.1)], 10, 1)[0]!.map((neighbor) => neighbor.key), [0, 2, 1]);
});
