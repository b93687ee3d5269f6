import { test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError } from "../../core/errors.js";
import { planPackMemory } from "./pack-memory.js";

const MIB = 2 ** 20;
const inputs = { workers: 2, length: 131072, samplesPerTopic: 4, topicsInFlight: 5, indexBytes: 10 * MIB };

test("the pack budget pays for the process, the index and the topics in flight, then workers, then caches", () => {
  // 290 MiB + 10 MiB index + 5 topics x ceil(4 x 131072 x 1.05) tokens x 16 bytes = 342.0 MiB required.
  const topics = 5 * Math.ceil(4 * 131072 * 1.05) * 16;
  const required = 290 * MIB + 10 * MIB + topics;
  const left = 1024 * MIB - required - 2 * 140 * MIB;
  assert.deepEqual(planPackMemory({ ...inputs, memoryBytes: 1024 * MIB }), {
    workers: 2,
    cachedTokens: Math.floor((left * 0.8) / 4),
    cachedSignatures: Math.floor((left * (1 - 0.8)) / 400),
  });
  // 400 MiB leaves room for no worker: tokenizing moves to the main thread.
  assert.equal(planPackMemory({ ...inputs, memoryBytes: 400 * MIB }).workers, 0);
  assert.equal(planPackMemory({ ...inputs, memoryBytes: 500 * MIB }).workers, 1);
  assert.equal(planPackMemory({ ...inputs, workers: 0, memoryBytes: 1024 * MIB }).workers, 0);
});

test("a budget too small for the sample length is refused, naming what needs the memory", () => {
  assert.throws(
    () => planPackMemory({ ...inputs, length: 524288, memoryBytes: 400 * MIB }),
    (error) => error instanceof ConfigError && error.message === "memory: 400M is too small to pack 4 samples of 524288 tokens per topic: that needs at least 469M (290M for the process and tokenizer, 10M for the index, 169M for 5 topics in flight); raise --memory or lower --length or --samples-per-topic",
  );
});
