import { endianness } from "node:os";
import { LitelongError } from "../../core/errors.js";

/** One training sample as ProLong reads it from MDS. */
export interface MdsSample {
  /** Token ids; never empty (streaming refuses to encode empty arrays). */
  inputIds: Uint32Array;
  /**
   * Document boundaries as [start, end) token offsets into `inputIds`; ProLong's collator
   * trains on each range as its own sequence. Never empty.
   */
  indices: Array<[number, number]>;
  /** Number of tokens; always `inputIds.length`. */
  length: number;
  /** The BISAC section of the sample's subject (ProLong's mixture key). */
  domain: string;
}

/** Called with the column (or undefined for the whole sample) and what is wrong; never returns. */
export type MdsDamageReporter = (field: string | undefined, problem: string) => never;

/** uint32 size prefixes of the three variable-size columns: domain, indices, input_ids. */
const SIZE_PREFIX_BYTES = 12;
/** `length` is streaming's `int` encoding: int64, fixed size, so it has no size prefix. */
const LENGTH_BYTES = 8;
const UINT32_MAX = 0xffff_ffff;
const LITTLE_ENDIAN_HOST = endianness() === "LE";
/** In unicode mode a valid surrogate pair is one code point, so only lone halves match. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Checks what streaming (and ProLong) need of a sample; throws a LitelongError naming the
 * sample and the problem, because a bad sample here is a bug upstream, not bad user input.
 */
export function checkMdsSample(sample: MdsSample, sampleNumber: number): void {
  const fail = (problem: string): never => {
    throw new LitelongError(`MDS sample ${sampleNumber}: ${problem}`);
  };
  const tokens = sample.inputIds.length;
  if (tokens === 0) fail("inputIds is empty (MDS cannot store empty arrays)");
  if (sample.length !== tokens) fail(`length is ${sample.length} but inputIds holds ${tokens} tokens`);
  if (sample.indices.length === 0) fail("indices is empty (MDS cannot store empty arrays)");
  sample.indices.forEach(([start, end], position) => {
    const valid = Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= tokens;
    if (!valid) fail(`indices[${position}] = [${start}, ${end}] is not a range within 0..${tokens}`);
  });
  if (LONE_SURROGATE.test(sample.domain)) fail("domain contains an unpaired surrogate (not encodable as UTF-8)");
}

/**
 * Encodes one sample as streaming's MDSWriter does for columns {domain: str, indices:
 * ndarray:uint32, input_ids: ndarray:uint32, length: int}: the uint32 sizes of the
 * variable-size columns, then each column's bytes in column-name order. Call checkMdsSample first.
 */
export function encodeMdsSample(sample: MdsSample): Buffer {
  const domain = Buffer.from(sample.domain, "utf8");
  const indicesShape = [sample.indices.length, 2];
  const inputIdsShape = [sample.inputIds.length];
  const indicesBytes = ndarrayHeaderBytes(indicesShape) + 8 * sample.indices.length;
  const inputIdsBytes = ndarrayHeaderBytes(inputIdsShape) + 4 * sample.inputIds.length;
  const bytes = Buffer.alloc(SIZE_PREFIX_BYTES + domain.length + indicesBytes + inputIdsBytes + LENGTH_BYTES);
  let at = bytes.writeUInt32LE(domain.length, 0);
  at = bytes.writeUInt32LE(indicesBytes, at);
  at = bytes.writeUInt32LE(inputIdsBytes, at);
  at += domain.copy(bytes, at);
  at = writeNdarrayHeader(bytes, at, indicesShape);
  for (const [start, end] of sample.indices) {
    at = bytes.writeUInt32LE(start, at);
    at = bytes.writeUInt32LE(end, at);
  }
  at = writeNdarrayHeader(bytes, at, inputIdsShape);
  at = writeUint32Values(bytes, at, sample.inputIds);
  bytes.writeBigInt64LE(BigInt(sample.length), at);
  return bytes;
}

/**
 * Decodes one sample's bytes (from its start offset to the next) and checks it as
 * checkMdsSample would; any damage goes to `fail` with the column it was found in.
 */
export function decodeMdsSample(bytes: Buffer, fail: MdsDamageReporter): MdsSample {
  const fixedBytes = SIZE_PREFIX_BYTES + LENGTH_BYTES;
  if (bytes.length < fixedBytes) fail(undefined, `sample is ${bytes.length} bytes, shorter than the ${fixedBytes} every sample needs`);
  const domainSize = bytes.readUInt32LE(0);
  const indicesSize = bytes.readUInt32LE(4);
  const inputIdsSize = bytes.readUInt32LE(8);
  const expected = fixedBytes + domainSize + indicesSize + inputIdsSize;
  if (expected !== bytes.length) {
    fail(undefined, `column sizes (domain ${domainSize}, indices ${indicesSize}, input_ids ${inputIdsSize}) need ${expected} bytes but the offsets give the sample ${bytes.length}`);
  }
  let at = SIZE_PREFIX_BYTES;
  const domain = decodeUtf8(bytes.subarray(at, (at += domainSize)), fail);
  const indicesArray = decodeNdarrayUint32(bytes.subarray(at, (at += indicesSize)), 2, (problem) => fail("indices", problem));
  const inputIdsArray = decodeNdarrayUint32(bytes.subarray(at, (at += inputIdsSize)), 1, (problem) => fail("input_ids", problem));
  const length = bytes.readBigInt64LE(at);
  if (indicesArray.shape[1] !== 2) fail("indices", `shape is (${indicesArray.shape.join(", ")}), expected (n, 2)`);
  const tokens = inputIdsArray.values.length;
  if (length !== BigInt(tokens)) fail("length", `is ${length} but input_ids holds ${tokens} tokens`);
  const indices: Array<[number, number]> = [];
  for (let position = 0; position < indicesArray.values.length; position += 2) {
    const start = indicesArray.values[position]!;
    const end = indicesArray.values[position + 1]!;
    if (start > end || end > tokens) fail("indices", `pair ${position / 2} = [${start}, ${end}] is not a range within 0..${tokens}`);
    indices.push([start, end]);
  }
  return { inputIds: inputIdsArray.values, indices, length: tokens, domain };
}

/**
 * Size of streaming's dynamic-shape ndarray prefix: one byte (ndim << 2 | shape-width code),
 * then each dimension in the narrowest unsigned width that holds the largest one.
 */
function ndarrayHeaderBytes(shape: number[]): number {
  return 1 + shape.length * shapeWidth(shape);
}

/** Bytes per shape entry: uint8 / uint16 / uint32 (codes 0 / 1 / 2) by the largest dimension. */
function shapeWidth(shape: number[]): 1 | 2 | 4 {
  const largest = Math.max(...shape);
  if (largest < 2 ** 8) return 1;
  if (largest < 2 ** 16) return 2;
  if (largest <= UINT32_MAX) return 4;
  throw new LitelongError(`MDS array dimension ${largest} does not fit a uint32 shard`);
}

function writeNdarrayHeader(bytes: Buffer, at: number, shape: number[]): number {
  const width = shapeWidth(shape);
  at = bytes.writeUInt8((shape.length << 2) | Math.log2(width), at);
  for (const dimension of shape) at = bytes.writeUIntLE(dimension, at, width);
  return at;
}

/** numpy's tobytes() is host order, little-endian on every platform streaming runs on. */
function writeUint32Values(bytes: Buffer, at: number, values: Uint32Array): number {
  if (LITTLE_ENDIAN_HOST) {
    bytes.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), at);
    return at + values.byteLength;
  }
  for (const value of values) at = bytes.writeUInt32LE(value, at);
  return at;
}

function decodeUtf8(bytes: Buffer, fail: MdsDamageReporter): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return fail("domain", "is not valid UTF-8");
  }
}

interface DecodedNdarray {
  shape: number[];
  values: Uint32Array;
}

/** Reads a dynamic-shape `ndarray:uint32` value, checking that shape and byte count agree. */
function decodeNdarrayUint32(bytes: Buffer, expectedDimensions: number, fail: (problem: string) => never): DecodedNdarray {
  if (bytes.length === 0) fail("is empty: no shape byte");
  const dimensions = bytes[0]! >> 2;
  const width = 2 ** (bytes[0]! & 3);
  if (dimensions !== expectedDimensions) fail(`has ${dimensions} dimensions, expected ${expectedDimensions}`);
  const headerBytes = 1 + dimensions * width;
  if (bytes.length < headerBytes) fail(`is ${bytes.length} bytes, too short for its ${dimensions}-dimension shape`);
  const shape: number[] = [];
  for (let axis = 0; axis < dimensions; axis++) {
    const at = 1 + axis * width;
    const dimension = width === 8 ? Number(bytes.readBigUInt64LE(at)) : bytes.readUIntLE(at, width);
    if (dimension < 1) fail(`shape has a zero dimension`);
    shape.push(dimension);
  }
  const count = shape.reduce((product, dimension) => product * dimension, 1);
  if (bytes.length - headerBytes !== 4 * count) {
    fail(`shape (${shape.join(", ")}) needs ${4 * count} value bytes, found ${bytes.length - headerBytes}`);
  }
  const values = new Uint32Array(count);
  const source = bytes.subarray(headerBytes);
  if (LITTLE_ENDIAN_HOST) new Uint8Array(values.buffer).set(source);
  else for (let index = 0; index < count; index++) values[index] = source.readUInt32LE(4 * index);
  return { shape, values };
}
