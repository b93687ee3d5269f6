// Writes the golden MDS datasets in this folder, byte by byte, from the format facts in
// README.md. Deliberately independent of src/: it shares no code with the writer it checks.
//
//   node test-fixtures/mds/make-golden-shards.mjs
//
// Rerunning must reproduce the committed files exactly (no timestamps, no randomness).
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));

/** Knuth's multiplicative hash, so the big sample spans the whole uint32 range. */
const scrambled = (count) => Array.from({ length: count }, (_, i) => Math.imul(i, 2654435761 | 0) >>> 0);

/** The golden samples (also spelled out in README.md and the TypeScript tests). */
export const GOLDEN_SAMPLES = [
  {
    domain: "FICTION",
    inputIds: [128000, 791, 4062, 14198, 128001, 128000, 9906, 128001],
    indices: [[0, 5], [5, 8]],
    length: 8,
  },
  {
    domain: "CRAFTS & HOBBIES / Études",
    inputIds: [42],
    indices: [[0, 1]],
    length: 1,
  },
  {
    // 600 tokens in 300 two-token documents: both shapes need a uint16 shape field.
    domain: "SCIENCE",
    inputIds: [...scrambled(599), 4294967295],
    indices: Array.from({ length: 300 }, (_, i) => [2 * i, 2 * i + 2]),
    length: 600,
  },
  {
    domain: "HISTORY",
    inputIds: [128000, 12, 13, 14, 15, 16, 128001],
    indices: [[0, 7]],
    length: 7,
  },
];

function uint32(value) {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
}

function int64(value) {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64LE(BigInt(value));
  return bytes;
}

/**
 * `ndarray:uint32` (dtype fixed by the column, shape dynamic):
 * [ndim << 2 | shape-width code][shape, each dim in that width][values, uint32 LE].
 */
function ndarrayUint32(shape, values) {
  const largest = Math.max(...shape);
  const code = largest < 2 ** 8 ? 0 : largest < 2 ** 16 ? 1 : 2;
  const width = 2 ** code;
  const header = Buffer.alloc(1 + shape.length * width);
  header[0] = (shape.length << 2) | code;
  shape.forEach((dimension, axis) => header.writeUIntLE(dimension, 1 + axis * width, width));
  return Buffer.concat([header, ...values.map(uint32)]);
}

/**
 * One sample: uint32 sizes of the variable-size columns (domain, indices, input_ids; `length`
 * is int64, fixed at 8 bytes, so it has none), then the columns in name order.
 */
function encodeSample(sample) {
  const domain = Buffer.from(sample.domain, "utf8");
  const indices = ndarrayUint32([sample.indices.length, 2], sample.indices.flat());
  const inputIds = ndarrayUint32([sample.inputIds.length], sample.inputIds);
  const length = int64(sample.length);
  return Buffer.concat([uint32(domain.length), uint32(indices.length), uint32(inputIds.length), domain, indices, inputIds, length]);
}

/** Python's json.dumps(config, sort_keys=True): ", " and ": " separators, keys sorted. */
function configText(sizeLimit) {
  return (
    '{"column_encodings": ["str", "ndarray:uint32", "ndarray:uint32", "int"], ' +
    '"column_names": ["domain", "indices", "input_ids", "length"], ' +
    '"column_sizes": [null, null, null, 8], "compression": null, "format": "mds", ' +
    `"hashes": ["sha256"], "size_limit": ${sizeLimit}, "version": 2}`
  );
}

/** [count uint32][count + 1 absolute uint32 offsets][config JSON][samples]. */
function encodeShard(encodedSamples, config) {
  const headerBytes = 4 + 4 * (encodedSamples.length + 1) + config.length;
  const offsets = [headerBytes];
  for (const encoded of encodedSamples) offsets.push(offsets.at(-1) + encoded.length);
  return Buffer.concat([uint32(encodedSamples.length), ...offsets.map(uint32), config, ...encodedSamples]);
}

/**
 * Streaming's split rule: a shard's size is counted as 8 + config bytes, plus 4 + encoded bytes
 * per sample; a sample that would take it past the limit closes the shard first.
 */
function splitIntoShards(encodedSamples, sizeLimit, config) {
  const shards = [];
  let current = [];
  let size = 8 + config.length;
  for (const encoded of encodedSamples) {
    if (current.length > 0 && sizeLimit < size + 4 + encoded.length) {
      shards.push(current);
      current = [];
      size = 8 + config.length;
    }
    current.push(encoded);
    size += 4 + encoded.length;
  }
  if (current.length > 0) shards.push(current);
  return shards;
}

function writeDataset(name, sizeLimit) {
  const directory = join(HERE, name);
  mkdirSync(directory, { recursive: true });
  const config = Buffer.from(configText(sizeLimit), "utf8");
  const shardEntries = splitIntoShards(GOLDEN_SAMPLES.map(encodeSample), sizeLimit, config).map((samples, number) => {
    const basename = `shard.${String(number).padStart(5, "0")}.mds`;
    const bytes = encodeShard(samples, config);
    writeFileSync(join(directory, basename), bytes);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    // One entry of index.json, keys sorted as Python's sort_keys does.
    return (
      '{"column_encodings": ["str", "ndarray:uint32", "ndarray:uint32", "int"], ' +
      '"column_names": ["domain", "indices", "input_ids", "length"], ' +
      '"column_sizes": [null, null, null, 8], "compression": null, "format": "mds", ' +
      `"hashes": ["sha256"], "raw_data": {"basename": "${basename}", "bytes": ${bytes.length}, ` +
      `"hashes": {"sha256": "${sha256}"}}, "samples": ${samples.length}, ` +
      `"size_limit": ${sizeLimit}, "version": 2, "zip_data": null}`
    );
  });
  // json.dump writes no trailing newline.
  writeFileSync(join(directory, "index.json"), `{"shards": [${shardEntries.join(", ")}], "version": 2}`);
  console.log(`${name}: ${shardEntries.length} shard(s)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeDataset("default-limit", 1 << 26);
  writeDataset("small-limit", 1024);
}
