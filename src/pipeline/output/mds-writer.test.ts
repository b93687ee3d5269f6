import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { LitelongError } from "../../core/errors.js";
import { mdsShardConfig, pythonJsonText } from "./mds-format.js";
import { readMdsSamples } from "./mds-reader.js";
import { encodeMdsSample, type MdsSample } from "./mds-sample-encoding.js";
import { MdsSampleWriter } from "./mds-writer.js";

const temporary = (): Promise<string> => mkdtemp(join(tmpdir(), "litelong-mds-"));

async function writeAll(directory: string, samples: MdsSample[], sizeLimitBytes?: number) {
  const writer = new MdsSampleWriter(directory, sizeLimitBytes === undefined ? {} : { sizeLimitBytes });
  for (const sample of samples) await writer.write(sample);
  return writer.finish();
}

async function collect(directory: string): Promise<MdsSample[]> {
  const samples: MdsSample[] = [];
  for await (const sample of readMdsSamples(directory)) samples.push(sample);
  return samples;
}

/** A sample of `tokens` tokens with documents cut at the given (unsorted) positions. */
const sampleArbitrary: fc.Arbitrary<MdsSample> = fc
  .record({
    domain: fc.string({ unit: "binary", maxLength: 12 }),
    ids: fc.array(fc.integer({ min: 0, max: 0xffff_ffff }), { minLength: 1, maxLength: 400 }),
    cuts: fc.array(fc.nat(), { maxLength: 6 }),
  })
  .map(({ domain, ids, cuts }) => {
    const bounds = [0, ...cuts.map((cut) => cut % (ids.length + 1)).sort((a, b) => a - b), ids.length];
    const indices = bounds.slice(1).map((end, position): [number, number] => [bounds[position]!, end]);
    return { domain, inputIds: Uint32Array.from(ids), indices, length: ids.length };
  });

test("random samples round-trip, split into shards exactly by streaming's size rule", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(sampleArbitrary, { maxLength: 12 }), fc.integer({ min: 1, max: 6000 }), async (samples, sizeLimitBytes) => {
      const directory = await temporary();
      const summary = await writeAll(directory, samples, sizeLimitBytes);
      assert.deepEqual(await collect(directory), samples);

      const configBytes = pythonJsonText(mdsShardConfig(sizeLimitBytes)).length;
      const counted = samples.map((sample) => 4 + encodeMdsSample(sample).length);
      let next = 0;
      for (const shard of summary.shards) {
        const mine = counted.slice(next, next + shard.samples);
        next += shard.samples;
        const size = 8 + configBytes + mine.reduce((sum, bytes) => sum + bytes, 0);
        assert.equal(shard.bytes, size);
        assert.equal(readFileSync(join(directory, shard.file)).length, size);
        assert.ok(shard.samples === 1 || size <= sizeLimitBytes, "only a lone sample may exceed the limit");
        if (next < counted.length) assert.ok(size + counted[next]! > sizeLimitBytes, "a shard closes only when the next sample does not fit");
      }
      assert.equal(next, samples.length);
      assert.equal(summary.samples, samples.length);
    }),
    { numRuns: 60 },
  );
});

test("the same samples always give the same bytes", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(sampleArbitrary, { minLength: 1, maxLength: 6 }), async (samples) => {
      const [first, second] = [await temporary(), await temporary()];
      await writeAll(first, samples, 2000);
      await writeAll(second, samples, 2000);
      const files = readdirSync(first).sort();
      assert.deepEqual(readdirSync(second).sort(), files);
      for (const file of files) assert.ok(readFileSync(join(first, file)).equals(readFileSync(join(second, file))), file);
    }),
    { numRuns: 15 },
  );
});

const tiny = (domain: string, tokens: number): MdsSample => ({
  domain,
  inputIds: Uint32Array.from({ length: tokens }, (_, i) => i),
  indices: [[0, tokens]],
  length: tokens,
});

test("finish reports each shard's file, samples, bytes and sha256, as index.json records them", async () => {
  const directory = await temporary();
  const summary = await writeAll(directory, [tiny("A", 3), tiny("B", 3), tiny("C", 3)], 400);
  // config 266 bytes + 8; each sample 12 + 1 + 11 + 14 + 8 = 46, counted as 50: two per shard.
  assert.deepEqual(
    summary.shards.map(({ file, samples, bytes }) => [file, samples, bytes]),
    [
      ["shard.00000.mds", 2, 374],
      ["shard.00001.mds", 1, 324],
    ],
  );
  const index = JSON.parse(readFileSync(join(directory, "index.json"), "utf8")) as { shards: Array<{ raw_data: { hashes: { sha256: string } } }> };
  for (const [position, shard] of summary.shards.entries()) {
    const sha256 = createHash("sha256").update(readFileSync(join(directory, shard.file))).digest("hex");
    assert.equal(shard.sha256, sha256);
    assert.equal(index.shards[position]!.raw_data.hashes.sha256, sha256);
  }
  assert.equal(summary.samples, 3);
});

test("an empty dataset is an index with no shards", async () => {
  const directory = await temporary();
  assert.deepEqual(await writeAll(directory, []), { samples: 0, shards: [] });
  assert.equal(readFileSync(join(directory, "index.json"), "utf8"), '{"shards": [], "version": 2}');
  assert.deepEqual(await collect(directory), []);
});

test("a sample over the limit gets a shard of its own and no empty shard is written", async () => {
  const directory = await temporary();
  const summary = await writeAll(directory, [tiny("A", 200), tiny("B", 1), tiny("C", 200)], 300);
  assert.deepEqual(
    summary.shards.map((shard) => shard.samples),
    [1, 1, 1],
  );
  assert.ok(summary.shards[0]!.bytes > 300);
});

test("a stale index goes before the first new shard; abort removes what was written", async () => {
  const directory = await temporary();
  writeFileSync(join(directory, "index.json"), "old");
  const writer = new MdsSampleWriter(directory, { sizeLimitBytes: 400 });
  for (const domain of ["A", "B", "C"]) await writer.write(tiny(domain, 3));
  assert.deepEqual(readdirSync(directory).sort(), ["shard.00000.mds"]);
  await writer.abort();
  assert.deepEqual(readdirSync(directory), []);
  await assert.rejects(writer.write(tiny("D", 1)), new LitelongError(`MDS writer for ${directory} is already aborted`));
});

test("options and samples are checked", async () => {
  for (const sizeLimitBytes of [0, 1.5, 2 ** 32]) {
    assert.throws(
      () => new MdsSampleWriter("unused", { sizeLimitBytes }),
      new LitelongError(`MDS sizeLimitBytes must be an integer in [1, 4294967295], got ${sizeLimitBytes}`),
    );
  }
  const directory = await temporary();
  const writer = new MdsSampleWriter(directory);
  await writer.write(tiny("A", 2));
  await assert.rejects(writer.write({ ...tiny("B", 2), length: 5 }), new LitelongError("MDS sample 1: length is 5 but inputIds holds 2 tokens"));
  await writer.finish();
  await assert.rejects(writer.finish(), new LitelongError(`MDS writer for ${directory} is already finished`));
  assert.equal(existsSync(join(directory, "shard.00000.mds")), true);
});
