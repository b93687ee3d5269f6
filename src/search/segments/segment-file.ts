import { createHash } from "node:crypto";
import { open, type FileHandle } from "node:fs/promises";
import { z } from "zod";
import { CorruptFileError } from "../../core/corrupt-file-error.js";
import { writeFileAtomicWith } from "../../core/atomic-file.js";
import { upgradeOldPostings } from "./postings-upgrade.js";
import type { SegmentParts } from "./segment-parts.js";

/**
 * Segment file: "LLSG", format version (3; 1 and 2 are still read), header length, JSON header (counts, source files and
 * the byte range of every array), the arrays each aligned to 8 bytes, then a footer holding the
 * SHA-256 of everything before it and "LLSG" again, so truncation and damage are detected.
 */
const MAGIC = "LLSG";
export const SEGMENT_FORMAT_VERSION = 3;
/** Older versions this reader still opens (see postings-upgrade.ts). */
const READABLE_VERSIONS = [1, 2, SEGMENT_FORMAT_VERSION];
const PREAMBLE_LENGTH = 12;

function requireReadableVersion(version: number, path: string): void {
  if (!READABLE_VERSIONS.includes(version)) throw new CorruptFileError(`${path}: segment format version ${version}, expected one of ${READABLE_VERSIONS.join(", ")}`);
}
const FOOTER_LENGTH = 32 + 4;

const ARRAY_TYPES = {
  lengths: Uint32Array,
  idOffsets: Uint32Array,
  idBytes: Uint8Array,
  idHashes: Uint32Array,
  idOrder: Uint32Array,
  sourceFile: Uint32Array,
  sourceNumbers: Float64Array,
  termOffsets: Uint32Array,
  termBytes: Uint8Array,
  termDf: Uint32Array,
  termBlockStart: Uint32Array,
  termMaxTf: Uint32Array,
  termMinLength: Uint32Array,
  blockLastDoc: Uint32Array,
  blockMaxTf: Uint32Array,
  blockMinLength: Uint32Array,
  blockOffset: Float64Array,
  postings: Uint8Array,
  blockImpactOffset: Uint32Array,
  impacts: Uint8Array,
} as const;
export type ArrayName = keyof typeof ARRAY_TYPES;
const ARRAY_NAMES = Object.keys(ARRAY_TYPES) as ArrayName[];

const headerSchema = z.object({
  docCount: z.number().int().nonnegative(),
  termCount: z.number().int().nonnegative(),
  blockCount: z.number().int().nonnegative(),
  totalLength: z.number().int().nonnegative(),
  files: z.array(z.object({ path: z.string(), kind: z.enum(["line", "row", "file"]) })),
  arrays: z.record(z.string(), z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()])),
});

const align8 = (value: number) => Math.ceil(value / 8) * 8;

/** Arrays format 3 added: an older segment has none (its upgrade on reading makes them). */
const ADDED_IN_FORMAT_3: readonly ArrayName[] = ["blockImpactOffset", "impacts"];
const EMPTY: [number, number] = [0, 0];

function absentInOldFormat(name: ArrayName, version: number): [number, number] | undefined {
  return version < 3 && ADDED_IN_FORMAT_3.includes(name) ? EMPTY : undefined;
}

/**
 * Postings bytes that a large segment's assembly moved out to a file as it went (see
 * SpillingBytes): they come before `parts.postings` in the segment.
 */
export interface SpilledPostings {
  path: string;
  length: number;
}

/**
 * Writes a segment file atomically, a piece at a time (the file is never assembled in memory, so
 * a merge's output may be larger than what it holds); returns the file's size. What
 * `decodeSegment` reads back.
 */
export async function writeSegmentFile(path: string, parts: SegmentParts, spilled?: SpilledPostings): Promise<number> {
  const spilledLength = spilled?.length ?? 0;
  const arrays: Record<string, [number, number]> = {};
  let offset = 0;
  for (const name of ARRAY_NAMES) {
    const extra = name === "postings" ? spilledLength : 0;
    arrays[name] = [offset, parts[name].length + extra];
    offset = align8(offset + parts[name].byteLength + extra);
  }
  const header = Buffer.from(JSON.stringify({
    docCount: parts.docCount, termCount: parts.termCount, blockCount: parts.blockCount,
    totalLength: parts.totalLength, files: parts.files, arrays,
  }));
  const dataStart = align8(PREAMBLE_LENGTH + header.length);
  const hash = createHash("sha256");
  let written = 0;
  await writeFileAtomicWith(path, async (handle) => {
    const put = async (bytes: Uint8Array) => {
      hash.update(bytes);
      await handle.writeFile(bytes);
      written += bytes.length;
    };
    const padTo = (position: number) => put(new Uint8Array(position - written));
    const preamble = Buffer.alloc(PREAMBLE_LENGTH);
    preamble.write(MAGIC, 0, "latin1");
    preamble.writeUInt32LE(SEGMENT_FORMAT_VERSION, 4);
    preamble.writeUInt32LE(header.length, 8);
    await put(preamble);
    await put(header);
    for (const name of ARRAY_NAMES) {
      await padTo(dataStart + arrays[name]![0]);
      if (name === "postings" && spilled) await copySpilledPostings(spilled, put);
      const array = parts[name];
      await put(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    }
    await padTo(dataStart + offset);
    await handle.writeFile(Buffer.concat([hash.digest(), Buffer.from(MAGIC, "latin1")]));
  });
  return written + FOOTER_LENGTH;
}

/** Hands the spilled postings to `put` in VERIFY_PIECE_BYTES pieces. */
async function copySpilledPostings(spilled: SpilledPostings, put: (bytes: Uint8Array) => Promise<void>): Promise<void> {
  const handle = await open(spilled.path, "r");
  try {
    for (let position = 0; position < spilled.length; ) {
      const piece = await readAt(handle, spilled.path, position, Math.min(VERIFY_PIECE_BYTES, spilled.length - position));
      await put(piece);
      position += piece.length;
    }
  } finally {
    await handle.close();
  }
}

/** Views a segment's arrays inside `bytes` (no copy). Throws CorruptFileError naming `path` on a damaged file. */
export function decodeSegment(bytes: Uint8Array, path: string, verifyChecksum: boolean): SegmentParts {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < PREAMBLE_LENGTH + FOOTER_LENGTH || buffer.toString("latin1", 0, 4) !== MAGIC) {
    throw new CorruptFileError(`${path}: not a litelong segment file`);
  }
  const version = buffer.readUInt32LE(4);
  requireReadableVersion(version, path);
  const footerStart = buffer.length - FOOTER_LENGTH;
  if (buffer.toString("latin1", footerStart + 32) !== MAGIC) throw new CorruptFileError(`${path}: truncated segment file (no footer)`);
  if (verifyChecksum && !createHash("sha256").update(buffer.subarray(0, footerStart)).digest().equals(buffer.subarray(footerStart, footerStart + 32))) {
    throw new CorruptFileError(`${path}: checksum mismatch (truncated or corrupt)`);
  }
  const headerLength = buffer.readUInt32LE(8);
  const header = parseHeader(buffer.subarray(PREAMBLE_LENGTH, PREAMBLE_LENGTH + headerLength), path);
  const dataStart = bytes.byteOffset + align8(PREAMBLE_LENGTH + headerLength);
  const views: Partial<Record<ArrayName, unknown>> = {};
  for (const name of ARRAY_NAMES) {
    const range = header.arrays[name] ?? absentInOldFormat(name, version);
    if (!range) throw new CorruptFileError(`${path}: segment header lacks array '${name}'`);
    const Type = ARRAY_TYPES[name];
    const start = range === EMPTY ? 0 : dataStart + range[0];
    if (start + range[1] * Type.BYTES_PER_ELEMENT > bytes.byteOffset + footerStart) throw new CorruptFileError(`${path}: array '${name}' runs past the end of the file`);
    views[name] = new Type(bytes.buffer as ArrayBuffer, start, range[1]);
  }
  const { docCount, termCount, blockCount, totalLength, files } = header;
  const parts: SegmentParts = { docCount, termCount, blockCount, totalLength, files, ...(views as Pick<SegmentParts, ArrayName>) };
  return version === 1 || version === 2 ? { ...parts, ...upgradeOldPostings(parts, version) } : parts;
}

/**
 * Reads only some arrays of a segment (e.g. its dictionary or ids) with positioned reads; the
 * other arrays are empty. Used where holding whole segments would break the memory budget.
 */
export async function readSegmentArrays(path: string, names: readonly ArrayName[]): Promise<SegmentParts> {
  const handle = await open(path, "r");
  try {
    const { header, ranges } = await readLayout(handle, path);
    const views: Partial<Record<ArrayName, unknown>> = {};
    for (const name of ARRAY_NAMES) {
      const Type = ARRAY_TYPES[name];
      if (!names.includes(name)) {
        views[name] = new Type(0);
        continue;
      }
      const bytes = await readAt(handle, path, ranges[name].start, ranges[name].count * Type.BYTES_PER_ELEMENT);
      // Copy into a fresh, aligned buffer: a Buffer may sit at any offset of a shared pool.
      views[name] = new Type(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    }
    const { docCount, termCount, blockCount, totalLength, files } = header;
    return { docCount, termCount, blockCount, totalLength, files, ...(views as Pick<SegmentParts, ArrayName>) };
  } finally {
    await handle.close();
  }
}

/** Where each array of a segment file lies (byte position, element count), for reading it piece by piece. */
export async function readSegmentLayout(path: string): Promise<Record<ArrayName, { start: number; count: number }>> {
  const handle = await open(path, "r");
  try {
    return (await readLayout(handle, path)).ranges;
  } finally {
    await handle.close();
  }
}

async function readLayout(handle: FileHandle, path: string) {
  const { size } = await handle.stat();
  const preamble = await readAt(handle, path, 0, PREAMBLE_LENGTH);
  if (preamble.toString("latin1", 0, 4) !== MAGIC) throw new CorruptFileError(`${path}: not a litelong segment file`);
  const headerLength = preamble.readUInt32LE(8);
  const version = preamble.readUInt32LE(4);
  if (PREAMBLE_LENGTH + headerLength > size) throw new CorruptFileError(`${path}: truncated segment file`);
  const header = parseHeader(await readAt(handle, path, PREAMBLE_LENGTH, headerLength), path);
  const dataStart = align8(PREAMBLE_LENGTH + headerLength);
  const ranges = {} as Record<ArrayName, { start: number; count: number }>;
  for (const name of ARRAY_NAMES) {
    const range = header.arrays[name] ?? absentInOldFormat(name, version);
    if (!range) throw new CorruptFileError(`${path}: segment header lacks array '${name}'`);
    if (range === EMPTY) {
      ranges[name] = { start: 0, count: 0 };
      continue;
    }
    if (dataStart + range[0] + range[1] * ARRAY_TYPES[name].BYTES_PER_ELEMENT > size - FOOTER_LENGTH) throw new CorruptFileError(`${path}: array '${name}' runs past the end of the file`);
    ranges[name] = { start: dataStart + range[0], count: range[1] };
  }
  return { header, ranges };
}

async function readAt(handle: FileHandle, path: string, position: number, length: number) {
  const bytes = Buffer.alloc(length);
  const { bytesRead } = await handle.read(bytes, 0, length, position);
  if (bytesRead !== length) throw new CorruptFileError(`${path}: truncated segment file`);
  return bytes;
}

function parseHeader(bytes: Buffer, path: string): z.infer<typeof headerSchema> {
  try {
    return headerSchema.parse(JSON.parse(bytes.toString("utf8")));
  } catch (error) {
    throw new CorruptFileError(`${path}: unreadable segment header (${(error as Error).message.split("\n")[0]})`, { cause: error });
  }
}

/**
 * Checks a segment file's layout and checksum, reading it a piece at a time: verifying a whole
 * index must not hold its segments in memory (the build's memory budget still applies then).
 * Throws CorruptFileError naming `path` on a damaged file.
 */
export async function verifySegmentFile(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    if (size < PREAMBLE_LENGTH + FOOTER_LENGTH) throw new CorruptFileError(`${path}: truncated segment file`);
    const version = (await readAt(handle, path, 0, PREAMBLE_LENGTH)).readUInt32LE(4);
    requireReadableVersion(version, path);
    const footerStart = size - FOOTER_LENGTH;
    const footer = await readAt(handle, path, footerStart, FOOTER_LENGTH);
    if (footer.toString("latin1", 32) !== MAGIC) throw new CorruptFileError(`${path}: truncated segment file (no footer)`);
    await readLayout(handle, path);
    const hash = createHash("sha256");
    const piece = Buffer.alloc(VERIFY_PIECE_BYTES);
    for (let position = 0; position < footerStart; ) {
      const { bytesRead } = await handle.read(piece, 0, Math.min(piece.length, footerStart - position), position);
      if (bytesRead === 0) throw new CorruptFileError(`${path}: file shrank while being read`);
      hash.update(piece.subarray(0, bytesRead));
      position += bytesRead;
    }
    if (!hash.digest().equals(footer.subarray(0, 32))) throw new CorruptFileError(`${path}: checksum mismatch (truncated or corrupt)`);
  } finally {
    await handle.close();
  }
}

/** Bytes read at a time when verifying or copying a segment's contents. */
const VERIFY_PIECE_BYTES = 4 * 2 ** 20;

/**
 * Reads a segment file into shared memory (so query worker threads use the same bytes) and
 * views it. The checksum is verified when asked: building and damage checks do; opening an index
 * for querying trusts the footer and the stage's checks.
 */
export async function readSegmentFile(path: string, verifyChecksum: boolean): Promise<SegmentParts> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const shared = new Uint8Array(new SharedArrayBuffer(size));
    let read = 0;
    while (read < size) {
      const { bytesRead } = await handle.read(shared, read, Math.min(size - read, 1 << 26), read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    if (read !== size) throw new CorruptFileError(`${path}: file shrank while being read`);
    return decodeSegment(shared, path, verifyChecksum);
  } finally {
    await handle.close();
  }
}
