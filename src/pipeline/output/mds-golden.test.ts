import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { mkdtemp } from "node:fs/promises";
import { join } from "node:path";
import { readMdsSamples } from "./mds-reader.js";
import type { MdsSample } from "./mds-sample-encoding.js";
import { MdsSampleWriter } from "./mds-writer.js";
import { fixtureFile } from "../../test-support/fixtures.js";

const GOLDEN = fixtureFile("mds");

/** The samples test-fixtures/mds/make-golden-shards.mjs wrote (see its README). */
const GOLDEN_SAMPLES: MdsSample[] = [
  {
    domain: "FICTION",
    inputIds: Uint32Array.from([128000, 791, 4062, 14198, 128001, 128000, 9906, 128001]),
    indices: [[0, 5], [5, 8]],
    length: 8,
  },
  { domain: "CRAFTS & HOBBIES / Études", inputIds: Uint32Array.from([42]), indices: [[0, 1]], length: 1 },
  {
    domain: "SCIENCE",
    inputIds: Uint32Array.from([...Array.from({ length: 599 }, (_, i) => Math.imul(i, 2654435761 | 0) >>> 0), 4294967295]),
    indices: Array.from({ length: 300 }, (_, i): [number, number] => [2 * i, 2 * i + 2]),
    length: 600,
  },
  { domain: "HISTORY", inputIds: Uint32Array.from([128000, 12, 13, 14, 15, 16, 128001]), indices: [[0, 7]], length: 7 },
];

const DATASETS = [
  { name: "default-limit", sizeLimitBytes: undefined, shards: ["shard.00000.mds"] },
  { name: "small-limit", sizeLimitBytes: 1024, shards: ["shard.00000.mds", "shard.00001.mds", "shard.00002.mds"] },
];

async function collect(directory: string): Promise<MdsSample[]> {
  const samples: MdsSample[] = [];
  for await (const sample of readMdsSamples(directory)) samples.push(sample);
  return samples;
}

test("the golden samples are the ones spelled out in the fixture README", () => {
  const science = GOLDEN_SAMPLES[2]!;
  assert.deepEqual([...science.inputIds.subarray(0, 4)], [0, 2654435761, 1013904226, 3668339987]);
  assert.equal(science.inputIds[599], 4294967295);
});

for (const dataset of DATASETS) {
  test(`our writer reproduces the golden ${dataset.name} dataset byte for byte`, async () => {
    const directory = await mkdtemp(join(tmpdir(), "litelong-mds-golden-"));
    const writer = new MdsSampleWriter(directory, dataset.sizeLimitBytes === undefined ? {} : { sizeLimitBytes: dataset.sizeLimitBytes });
    for (const sample of GOLDEN_SAMPLES) await writer.write(sample);
    const summary = await writer.finish();
    assert.deepEqual(
      summary.shards.map((shard) => shard.file),
      dataset.shards,
    );
    assert.deepEqual(readdirSync(directory).sort(), ["index.json", ...dataset.shards]);
    for (const file of readdirSync(directory)) {
      assert.ok(readFileSync(join(directory, file)).equals(readFileSync(join(GOLDEN, dataset.name, file))), `${file} differs from the golden file`);
    }
  });

  test(`our reader decodes the golden ${dataset.name} dataset to the exact samples`, async () => {
    assert.deepEqual(await collect(join(GOLDEN, dataset.name)), GOLDEN_SAMPLES);
  });
}

test("the golden small-limit shards split where streaming's size rule says", () => {
  const shard = readFileSync(join(GOLDEN, "small-limit", "shard.00000.mds"));
  // 2 samples; offsets 4 + 12 + 267 config bytes = 283, + 80 (FICTION) = 363, + 63 = 426.
  assert.deepEqual([0, 4, 8, 12].map((at) => shard.readUInt32LE(at)), [2, 283, 363, 426]);
  // SCIENCE (4,835 bytes) would take the first shard's count to 426 + 4 + 4,835 > 1,024, so it
  // starts shard 1 (12 + 267 + 4,835 bytes: alone and over the limit, as streaming allows);
  // HISTORY (68 bytes) then starts shard 2 (12 + 267 + 68).
  const sizes = ["shard.00000.mds", "shard.00001.mds", "shard.00002.mds"].map((file) => readFileSync(join(GOLDEN, "small-limit", file)).length);
  assert.deepEqual(sizes, [426, 5114, 347]);
});
