import { createHash } from "node:crypto";
import { open, type FileHandle } from "node:fs/promises";
import { endianness } from "node:os";
import { dirname } from "node:path";
import { crc32 } from "node:zlib";
import { BatchedAppender } from "../core/batched-appender.js";
import { CorruptFileError } from "../core/corrupt-file-error.js";
import { makeDirectory } from "../core/make-directory.js";
import { EMBEDDING_MODEL_SPECIFICATION_VERSION } from "./embedding-model.js";

/** First bytes of every cache file: what it is and the record layout's version. */
const MAGIC = Buffer.from("LLEMBC01", "latin1");
const KEY_BYTES = 32;
/** Key, dimension count, then the vector, then a CRC-32 of all three. */
const HEADER_BYTES = KEY_BYTES + 4;
/** More dimensions than any embedding model has: a record claiming it is damaged. */
const MAX_DIMENSIONS = 1 << 16;
/** Bytes read from the file at a time when opening. */
const READ_BYTES = 8 << 20;

/** The cache key of a text's vector from a model: SHA-256 of the model identity and the exact text, hex. */
export function embeddingCacheKey(modelIdentity: string, text: string): string {
  return createHash("sha256").update(`${EMBEDDING_MODEL_SPECIFICATION_VERSION}\n${modelIdentity}\n`).update(text).digest("hex");
}

/**
 * A persistent cache of embedding vectors: an append-only binary file of records
 * `key (32 bytes) | dimensions (u32) | dimensions × float32 | CRC-32`, little-endian, after an
 * 8-byte magic. Float32 is what the index stores, so a cached vector is bit-identical to the
 * one first used. A killed process leaves at most one torn last record; opening truncates the
 * file back to the last intact record (records after a damaged one cannot be framed and go
 * too). A rerun therefore asks for no vector that reached the file.
 */
export class EmbeddingCache {
  private readonly appender: BatchedAppender;

  private constructor(
    readonly path: string,
    handle: FileHandle,
    private readonly entries: Map<string, Float32Array>,
    /** Bytes cut off when opening (a torn or damaged tail). */
    readonly damagedBytes: number,
  ) {
    this.appender = new BatchedAppender(handle);
  }

  /** Opens (or creates) the cache file, keeping every intact record. */
  static async open(path: string): Promise<EmbeddingCache> {
    if (endianness() !== "LE") throw new Error("the embedding cache is little-endian; this machine is not");
    await makeDirectory(dirname(path));
    const handle = await open(path, "a+");
    try {
      const { entries, intactBytes, totalBytes } = await readRecords(handle, path);
      // A torn tail would misframe every later record; cut back to the last intact one.
      if (intactBytes < totalBytes) await handle.truncate(intactBytes);
      if (intactBytes === 0) await handle.appendFile(MAGIC);
      return new EmbeddingCache(path, handle, entries, totalBytes - intactBytes);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): Float32Array | undefined {
    return this.entries.get(key);
  }

  /** Records a vector; written in batches behind the caller's back (a vector lost to a crash is asked for again). */
  put(key: string, vector: Float32Array): void {
    if (this.entries.has(key)) return;
    this.appender.append(encodeRecord(key, vector));
    this.entries.set(key, vector);
  }

  /** Writes everything recorded so far, syncs and closes the file. */
  close(): Promise<void> {
    return this.appender.close();
  }
}

function encodeRecord(key: string, vector: Float32Array): Uint8Array {
  const record = Buffer.alloc(HEADER_BYTES + vector.byteLength + 4);
  record.write(key, 0, KEY_BYTES, "hex");
  record.writeUInt32LE(vector.length, KEY_BYTES);
  Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).copy(record, HEADER_BYTES);
  record.writeUInt32LE(crc32(record.subarray(0, record.length - 4)), record.length - 4);
  return record;
}

/** Reads records from the start until the end or the first one that is torn or fails its check. */
async function readRecords(handle: FileHandle, path: string): Promise<{ entries: Map<string, Float32Array>; intactBytes: number; totalBytes: number }> {
  const entries = new Map<string, Float32Array>();
  const totalBytes = (await handle.stat()).size;
  // Shorter than the magic: the file was being created when the process died.
  if (totalBytes < MAGIC.length) return { entries, intactBytes: 0, totalBytes };
  const magic = Buffer.alloc(MAGIC.length);
  await handle.read(magic, 0, MAGIC.length, 0);
  if (!magic.equals(MAGIC)) throw new CorruptFileError(`${path} is not a litelong embedding cache (delete it to start a new one)`);
  let intactBytes = MAGIC.length;
  let carry = Buffer.alloc(0);
  for (let position = MAGIC.length; position < totalBytes; ) {
    const chunk = Buffer.alloc(Math.min(READ_BYTES, totalBytes - position));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
    position += bytesRead;
    const buffer = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
    let offset = 0;
    while (buffer.length - offset >= HEADER_BYTES) {
      const dimensions = buffer.readUInt32LE(offset + KEY_BYTES);
      if (dimensions === 0 || dimensions > MAX_DIMENSIONS) return { entries, intactBytes, totalBytes };
      const length = HEADER_BYTES + dimensions * 4 + 4;
      if (buffer.length - offset < length) break;
      const record = buffer.subarray(offset, offset + length);
      if (crc32(record.subarray(0, length - 4)) !== record.readUInt32LE(length - 4)) return { entries, intactBytes, totalBytes };
      // A copy: Float32Array needs an aligned buffer of its own.
      entries.set(record.toString("hex", 0, KEY_BYTES), new Float32Array(new Uint8Array(record.subarray(HEADER_BYTES, length - 4)).buffer));
      offset += length;
      intactBytes += length;
    }
    carry = Buffer.from(buffer.subarray(offset));
  }
  return { entries, intactBytes, totalBytes };
}
