import { test } from "node:test";
import assert from "node:assert/strict";
import { LitelongError } from "../../core/errors.js";
import { checkMdsSample, decodeMdsSample, encodeMdsSample, type MdsSample } from "./mds-sample-encoding.js";

interface Damage {
  field: string | undefined;
  problem: string;
}

/** Decodes, turning the first damage report into a value so tests can compare it exactly. */
function decodeOrDamage(bytes: Buffer): MdsSample | Damage {
  try {
    return decodeMdsSample(bytes, (field, problem) => {
      throw { field, problem } satisfies Damage;
    });
  } catch (damage) {
    return damage as Damage;
  }
}

const small: MdsSample = { domain: "AB", inputIds: Uint32Array.from([1, 0x01020304]), indices: [[0, 2]], length: 2 };

test("a sample is column sizes, then domain, indices, input_ids, length", () => {
  assert.deepEqual(
    [...encodeMdsSample(small)],
    [
      ...[2, 0, 0, 0, 11, 0, 0, 0, 10, 0, 0, 0], // sizes of domain (str), indices, input_ids
      ...[0x41, 0x42], // "AB" in UTF-8
      ...[0x08, 1, 2], // indices: ndim 2 << 2 | uint8 shape, shape (1, 2)
      ...[0, 0, 0, 0, 2, 0, 0, 0], // [0, 2] as uint32 LE
      ...[0x04, 2], // input_ids: ndim 1 << 2 | uint8 shape, shape (2,)
      ...[1, 0, 0, 0, 4, 3, 2, 1],
      ...[2, 0, 0, 0, 0, 0, 0, 0], // length: int64 LE, no size prefix
    ],
  );
  assert.deepEqual(decodeOrDamage(encodeMdsSample(small)), small);
});

test("shape fields take the narrowest width that holds the largest dimension", () => {
  const pairs = Array.from({ length: 300 }, (_, i): [number, number] => [i, i + 1]);
  const wide: MdsSample = { domain: "", inputIds: new Uint32Array(65536).fill(7), indices: pairs, length: 65536 };
  const bytes = encodeMdsSample(wide);
  // sizes: domain 0, indices 1 + 2 * 2 + 300 * 8 = 2405, input_ids 1 + 4 + 4 * 65536 = 262149.
  assert.deepEqual([...bytes.subarray(0, 12)], [0, 0, 0, 0, 0x65, 0x09, 0, 0, 0x05, 0x00, 0x04, 0x00]);
  // indices: ndim 2, uint16 shape (300, 2).
  assert.deepEqual([...bytes.subarray(12, 17)], [0x09, 0x2c, 0x01, 0x02, 0x00]);
  // input_ids: 65536 does not fit uint16, so ndim 1 with a uint32 shape.
  assert.deepEqual([...bytes.subarray(12 + 2405, 12 + 2405 + 5)], [0x06, 0x00, 0x00, 0x01, 0x00]);
  assert.equal(bytes.length, 12 + 2405 + 5 + 4 * 65536 + 8);
  assert.deepEqual(decodeOrDamage(bytes), wide);
});

test("length is streaming's int: int64 little-endian (99 as in streaming's own test)", () => {
  const sample: MdsSample = { domain: "X", inputIds: new Uint32Array(99), indices: [[0, 99]], length: 99 };
  assert.deepEqual([...encodeMdsSample(sample).subarray(-8)], [0x63, 0, 0, 0, 0, 0, 0, 0]);
});

test("checkMdsSample rejects what MDS or ProLong cannot take", () => {
  const cases: Array<[MdsSample, string]> = [
    [{ ...small, inputIds: new Uint32Array(0), length: 0 }, "MDS sample 4: inputIds is empty (MDS cannot store empty arrays)"],
    [{ ...small, length: 3 }, "MDS sample 4: length is 3 but inputIds holds 2 tokens"],
    [{ ...small, indices: [] }, "MDS sample 4: indices is empty (MDS cannot store empty arrays)"],
    [{ ...small, indices: [[0, 1], [1, 3]] }, "MDS sample 4: indices[1] = [1, 3] is not a range within 0..2"],
    [{ ...small, indices: [[2, 1]] }, "MDS sample 4: indices[0] = [2, 1] is not a range within 0..2"],
    [{ ...small, indices: [[0.5, 1]] }, "MDS sample 4: indices[0] = [0.5, 1] is not a range within 0..2"],
    [{ ...small, domain: "a\ud800b" }, "MDS sample 4: domain contains an unpaired surrogate (not encodable as UTF-8)"],
  ];
  for (const [sample, message] of cases) {
    assert.throws(() => checkMdsSample(sample, 4), (error: unknown) => error instanceof LitelongError && error.message === message);
  }
  assert.doesNotThrow(() => checkMdsSample({ ...small, domain: "𝄞", indices: [[0, 0], [0, 2]] }, 0));
});

test("decoding reports damage with the column it is in", () => {
  const good = encodeMdsSample(small);
  const damaged = (edit: (bytes: Buffer) => void): Buffer => {
    const copy = Buffer.from(good);
    edit(copy);
    return copy;
  };
  assert.deepEqual(decodeOrDamage(good.subarray(0, 19)), { field: undefined, problem: "sample is 19 bytes, shorter than the 20 every sample needs" });
  assert.deepEqual(decodeOrDamage(Buffer.concat([good, Buffer.from([0])])), {
    field: undefined,
    problem: "column sizes (domain 2, indices 11, input_ids 10) need 43 bytes but the offsets give the sample 44",
  });
  assert.deepEqual(decodeOrDamage(damaged((bytes) => (bytes[12] = 0xff))), { field: "domain", problem: "is not valid UTF-8" });
  assert.deepEqual(decodeOrDamage(damaged((bytes) => (bytes[14] = 0x0c))), { field: "indices", problem: "has 3 dimensions, expected 2" });
  assert.deepEqual(decodeOrDamage(damaged((bytes) => (bytes[16] = 3))), { field: "indices", problem: "shape (1, 3) needs 12 value bytes, found 8" });
  assert.deepEqual(decodeOrDamage(damaged((bytes) => (bytes[26] = 0))), { field: "input_ids", problem: "shape has a zero dimension" });
  assert.deepEqual(decodeOrDamage(damaged((bytes) => (bytes[35] = 5))), { field: "length", problem: "is 5 but input_ids holds 2 tokens" });
  assert.deepEqual(decodeOrDamage(damaged((bytes) => (bytes[21] = 9))), { field: "indices", problem: "pair 0 = [0, 9] is not a range within 0..2" });
});
