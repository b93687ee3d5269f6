import { test } from "node:test";
import assert from "node:assert/strict";
import { mdsShardConfig, mdsShardFileName, pythonJsonText } from "./mds-format.js";

test("pythonJsonText spells an index exactly as streaming's json.dump(sort_keys=True) did", () => {
  // index.json text asserted by llm-foundry's test of its text-to-MDS converter (written by
  // streaming's MDSWriter, compression zstd, no hashes); keys given here out of order on purpose.
  const index = {
    version: 2,
    shards: [
      {
        zip_data: { hashes: {}, bytes: 227, basename: "shard.00000.mds.zstd" },
        version: 2,
        size_limit: 67108864,
        samples: 3,
        raw_data: { basename: "shard.00000.mds", bytes: 49359, hashes: {} },
        hashes: [],
        format: "mds",
        compression: "zstd",
        column_sizes: [null],
        column_names: ["tokens"],
        column_encodings: ["bytes"],
      },
    ],
  };
  assert.equal(
    pythonJsonText(index),
    '{"shards": [{"column_encodings": ["bytes"], "column_names": ["tokens"], "column_sizes": [null], ' +
      '"compression": "zstd", "format": "mds", "hashes": [], "raw_data": {"basename": "shard.00000.mds", ' +
      '"bytes": 49359, "hashes": {}}, "samples": 3, "size_limit": 67108864, "version": 2, "zip_data": ' +
      '{"basename": "shard.00000.mds.zstd", "bytes": 227, "hashes": {}}}], "version": 2}',
  );
});

test("the shard layout accounts for that real shard's 49,359 bytes", () => {
  const config = pythonJsonText({
    column_encodings: ["bytes"],
    column_names: ["tokens"],
    column_sizes: [null],
    compression: "zstd",
    format: "mds",
    hashes: [],
    size_limit: 67108864,
    version: 2,
  });
  assert.equal(config.length, 175);
  // count + 4 offsets + config + 3 samples of (uint32 size + 2048 int64 tokens).
  assert.equal(4 + 4 * (3 + 1) + config.length + 3 * (4 + 2048 * 8), 49359);
});

test("pythonJsonText escapes like ensure_ascii and sorts nested keys", () => {
  const value = { d: [], c: {}, b: 'É\n"\\\u007f𝄞\u0001', a: [null, true, 1] };
  assert.equal(pythonJsonText(value), '{"a": [null, true, 1], "b": "\\u00c9\\n\\"\\\\\\u007f\\ud834\\udd1e\\u0001", "c": {}, "d": []}');
  assert.throws(() => pythonJsonText({ x: 0.5 }), /safe integers only, got 0.5/);
});

test("shard names and the configuration this project writes", () => {
  assert.equal(mdsShardFileName(0), "shard.00000.mds");
  assert.equal(mdsShardFileName(12345), "shard.12345.mds");
  assert.equal(
    pythonJsonText(mdsShardConfig(1 << 26)),
    '{"column_encodings": ["str", "ndarray:uint32", "ndarray:uint32", "int"], "column_names": ["domain", ' +
      '"indices", "input_ids", "length"], "column_sizes": [null, null, null, 8], "compression": null, ' +
      '"format": "mds", "hashes": ["sha256"], "size_limit": 67108864, "version": 2}',
  );
});
