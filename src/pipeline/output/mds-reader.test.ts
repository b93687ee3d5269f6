import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError, type InputLocation } from "../../core/errors.js";
import { readMdsIndex, readMdsSamples, type ReadMdsOptions } from "./mds-reader.js";
import type { MdsSample } from "./mds-sample-encoding.js";
import { MdsSampleWriter } from "./mds-writer.js";

const sample = (domain: string, ids: number[]): MdsSample => ({
  domain,
  inputIds: Uint32Array.from(ids),
  indices: [[0, ids.length]],
  length: ids.length,
});

const SAMPLES = [sample("ART", [1, 2, 3]), sample("BIBLES", [4, 5]), sample("COOKING", [6, 7, 8, 9])];

/**
 * Shard 0 holds ART and BIBLES, shard 1 COOKING (size limit 400). Shard 0: header
 * 4 + 12 offsets + 266 config = 282; ART 12 + 3 + 11 + 14 + 8 = 48 bytes; BIBLES 47. Shard 1:
 * header 4 + 8 + 266 = 278; COOKING 12 + 7 + 11 + 18 + 8 = 56.
 */
async function dataset(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), "litelong-mds-damage-"));
  const writer = new MdsSampleWriter(directory, { sizeLimitBytes: 400 });
  for (const item of SAMPLES) await writer.write(item);
  const summary = await writer.finish();
  assert.deepEqual(
    summary.shards.map((shard) => [shard.samples, shard.bytes]),
    [
      [2, 377],
      [1, 334],
    ],
  );
  return directory;
}

async function collect(directory: string, options?: ReadMdsOptions): Promise<MdsSample[]> {
  const samples: MdsSample[] = [];
  for await (const item of readMdsSamples(directory, options)) samples.push(item);
  return samples;
}

function editFile(path: string, edit: (bytes: Buffer) => Buffer | void): void {
  const bytes = readFileSync(path);
  writeFileSync(path, edit(bytes) ?? bytes);
}

async function assertDamage(directory: string, location: InputLocation, problem: string, options?: ReadMdsOptions): Promise<void> {
  await assert.rejects(collect(directory, options), (error: unknown) => {
    assert.ok(error instanceof InputError, String(error));
    assert.deepEqual(error.location, location);
    assert.equal(error.problem, problem);
    return true;
  });
}

test("an intact dataset reads back in order", async () => {
  assert.deepEqual(await collect(await dataset()), SAMPLES);
});

test("a truncated shard names the first sample cut off", async () => {
  const directory = await dataset();
  const shard = join(directory, "shard.00000.mds");
  editFile(shard, (bytes) => bytes.subarray(0, 340));
  await assertDamage(directory, { file: shard, row: 1 }, "sample runs to byte 377, past the end of the 340-byte file: the shard is truncated (sample 1 of the dataset)");
});

test("a wrong offset names the sample whose bytes no longer add up", async () => {
  const directory = await dataset();
  const shard = join(directory, "shard.00000.mds");
  editFile(shard, (bytes) => void bytes.writeUInt32LE(334, 8)); // end of ART / start of BIBLES
  await assertDamage(
    directory,
    { file: shard, row: 0 },
    "column sizes (domain 3, indices 11, input_ids 14) need 48 bytes but the offsets give the sample 52 (sample 0 of the dataset)",
  );
});

test("offsets that run backwards are reported for the sample they belong to", async () => {
  const directory = await dataset();
  const shard = join(directory, "shard.00000.mds");
  editFile(shard, (bytes) => void bytes.writeUInt32LE(300, 12));
  await assertDamage(directory, { file: shard, row: 1 }, "offset table says the sample ends at byte 300, before it starts at byte 330 (sample 1 of the dataset)");
});

test("damage in a later shard also gives the sample's index in the dataset", async () => {
  const directory = await dataset();
  const shard = join(directory, "shard.00001.mds");
  editFile(shard, (bytes) => void (bytes[278 + 12 + 7] = 0x0c)); // indices' ndim byte of COOKING
  await assertDamage(directory, { file: shard, row: 0, field: "indices" }, "has 3 dimensions, expected 2 (sample 2 of the dataset)");
});

test("changed token bytes are caught by the sha256 in index.json", async () => {
  const directory = await dataset();
  const shard = join(directory, "shard.00001.mds");
  const expected = createHash("sha256").update(readFileSync(shard)).digest("hex");
  editFile(shard, (bytes) => void (bytes[334 - 8 - 4] = 99)); // last token of COOKING
  const actual = createHash("sha256").update(readFileSync(shard)).digest("hex");
  await assertDamage(directory, { file: shard }, `sha256 is ${actual} but index.json says ${expected}: the shard's bytes changed`);
  const unchecked = await collect(directory, { verifyHashes: false });
  assert.deepEqual([...unchecked[2]!.inputIds], [6, 7, 8, 99]);
});

test("header and index disagreements name the shard", async () => {
  const directory = await dataset();
  const shard = join(directory, "shard.00000.mds");
  editFile(shard, (bytes) => void bytes.writeUInt32LE(3, 0));
  await assertDamage(directory, { file: shard }, "header counts 3 samples but index.json says 2");
  editFile(shard, (bytes) => void bytes.writeUInt32LE(2, 0));
  editFile(shard, (bytes) => void bytes.writeUInt32LE(283, 4));
  await assertDamage(directory, { file: shard, row: 0 }, "offset table says the sample starts at byte 283, but the header ends at byte 282 (sample 0 of the dataset)");
  editFile(shard, (bytes) => void bytes.writeUInt32LE(282, 4));
  editFile(shard, (bytes) => void (bytes[30] = 0x41));
  await assertDamage(directory, { file: shard }, "header configuration differs from the shard's index.json entry");
});

test("a missing shard or index is reported by name", async () => {
  const directory = await dataset();
  const shard = join(directory, "shard.00001.mds");
  rmSync(shard);
  await assertDamage(directory, { file: shard }, "missing: index.json lists it");
  rmSync(join(directory, "index.json"));
  await assertDamage(directory, { file: join(directory, "index.json") }, "missing: not an MDS dataset, or its writer did not finish");
});

test("trailing bytes after the last sample are damage", async () => {
  const directory = await dataset();
  const shard = join(directory, "shard.00000.mds");
  editFile(shard, (bytes) => Buffer.concat([bytes, Buffer.from([0, 0])]));
  await assertDamage(directory, { file: shard }, "2 bytes follow the last sample (offset table ends at byte 377)");
});

test("index.json problems are all reported at once", async () => {
  const directory = await dataset();
  const path = join(directory, "index.json");
  const index = JSON.parse(readFileSync(path, "utf8")) as { shards: Array<Record<string, unknown>> };
  Object.assign(index.shards[0]!, {
    column_names: ["domain", "input_ids", "length"],
    column_encodings: ["str", "ndarray:uint32", "int"],
    column_sizes: [null, null, 8],
    raw_data: { basename: "../elsewhere.mds", bytes: 1, hashes: {} },
  });
  Object.assign(index.shards[1]!, { compression: "zstd", zip_data: { basename: "shard.00001.mds.zstd", bytes: 10, hashes: {} } });
  writeFileSync(path, JSON.stringify(index));
  await assert.rejects(readMdsIndex(directory), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.deepEqual(error.location, { file: path });
    assert.equal(
      error.problem,
      "shards.0: columns are [domain:str:variable, input_ids:ndarray:uint32:variable, length:int:8], expected " +
        "[domain:str:variable, indices:ndarray:uint32:variable, input_ids:ndarray:uint32:variable, length:int:8]; " +
        "shards.0.raw_data.basename: '../elsewhere.mds' is not a file name inside the dataset; " +
        "shards.1: compressed shards (zstd) are not supported; expected compression null",
    );
    return true;
  });
  writeFileSync(path, JSON.stringify({ version: 1, shards: [{}] }).slice(0, 20));
  await assert.rejects(readMdsIndex(directory), (error: unknown) => error instanceof InputError && error.problem.startsWith("is not JSON: "));
  writeFileSync(path, JSON.stringify({ version: 1, shards: [] }));
  await assertDamage(directory, { file: path }, "version: Invalid input: expected 2");
});
