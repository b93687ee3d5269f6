import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CorruptFileError } from "../core/corrupt-file-error.js";
import { temporaryDirectory } from "../test-support/fixtures.js";
import { EmbeddingCache, embeddingCacheKey } from "./embedding-cache.js";

const vector = (seed: number) => Float32Array.from({ length: 5 }, (_, i) => Math.fround(Math.sin(seed + i) / 3));

test("vectors survive a reopen bit for bit, keyed by model and exact text", async () => {
  const path = join(temporaryDirectory(), "cache.bin");
  const cache = await EmbeddingCache.open(path);
  const keys = ["a text", "a text ", "another"].map((text) => embeddingCacheKey("openai-compatible:m", text));
  keys.forEach((key, i) => cache.put(key, vector(i)));
  cache.put(keys[0]!, vector(9)); // a key already there keeps its first vector
  await cache.close();
  // 8-byte magic, then per record: 32-byte key, 4-byte length, 5 floats, 4-byte check.
  assert.equal(statSync(path).size, 8 + 3 * (32 + 4 + 20 + 4));
  const reopened = await EmbeddingCache.open(path);
  assert.deepEqual([reopened.size, reopened.damagedBytes], [3, 0]);
  keys.forEach((key, i) => assert.deepEqual(reopened.get(key), vector(i)));
  assert.equal(reopened.get(embeddingCacheKey("openai-compatible:other-model", "a text")), undefined);
  await reopened.close();
});

test("a torn or damaged tail is cut off on opening, and appending goes on after the last intact record", async () => {
  const path = join(temporaryDirectory(), "cache.bin");
  const cache = await EmbeddingCache.open(path);
  cache.put("11".repeat(32), vector(1));
  cache.put("22".repeat(32), vector(2));
  await cache.close();
  const intact = statSync(path).size;
  truncateSync(path, intact - 7); // killed in the middle of the second record
  const torn = await EmbeddingCache.open(path);
  assert.deepEqual([torn.size, torn.damagedBytes], [1, 60 - 7]);
  torn.put("33".repeat(32), vector(3));
  await torn.close();
  const bytes = readFileSync(path);
  bytes[bytes.length - 10]! ^= 0xff; // a flipped bit in the last record fails its check
  writeFileSync(path, bytes);
  const damaged = await EmbeddingCache.open(path);
  assert.deepEqual([damaged.size, damaged.damagedBytes, damaged.get("11".repeat(32))], [1, 60, vector(1)]);
  await damaged.close();
});

test("a file that is not an embedding cache is refused, not overwritten", async () => {
  const path = join(temporaryDirectory(), "cache.bin");
  writeFileSync(path, "{\"not\": \"ours\"}\n");
  await assert.rejects(EmbeddingCache.open(path), (error: unknown) => error instanceof CorruptFileError && error.message === `${path} is not a litelong embedding cache (delete it to start a new one)`);
  assert.equal(readFileSync(path, "utf8"), "{\"not\": \"ours\"}\n");
});
