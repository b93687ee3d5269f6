import { createReadStream } from "node:fs";
import { pipeline, Transform, type Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { Decompress } from "fzstd";
import { InputError } from "../core/errors.js";
import type { CorpusFormat } from "./corpus-files.js";

/** Options of {@link readDecompressedChunks}. */
export interface DecompressedChunksOptions {
  /** How errors name the file. */
  label: string;
  /** Called after each chunk read from disk with the on-disk (compressed) bytes read so far. */
  onRawBytes?: (bytes: number) => void;
}

/** Plain and gzip reads use big chunks; zstd input stays small because one chunk can inflate a lot. */
const RAW_CHUNK_BYTES = 1 << 20;
const ZSTD_RAW_CHUNK_BYTES = 1 << 16;
/** zlib's default 16 KiB output chunks make gzip reading 4x slower (measured on a 100 MB file). */
const GUNZIP_CHUNK_BYTES = 1 << 18;

/**
 * Streams the decompressed bytes of a JSONL file (plain, gzip or zstd) in chunks, with memory
 * bounded by a few chunks. Stopping the iteration early closes the file.
 *
 * @throws InputError naming the file when it cannot be read or its compressed data is
 *   truncated or corrupt
 */
export async function* readDecompressedChunks(
  path: string,
  format: Exclude<CorpusFormat, "parquet" | "text">,
  options: DecompressedChunksOptions,
): AsyncGenerator<Uint8Array> {
  const raw = createReadStream(path, { highWaterMark: format === "jsonl.zst" ? ZSTD_RAW_CHUNK_BYTES : RAW_CHUNK_BYTES });
  let rawBytes = 0;
  const countRawBytes = (chunk: string | Buffer): void => {
    rawBytes += chunk.length;
    options.onRawBytes?.(rawBytes);
  };
  let output: Readable = raw;
  if (format !== "jsonl") {
    // A second "data" listener beside the pipe sees the compressed chunks as they go by.
    raw.on("data", countRawBytes);
    const decompressor = format === "jsonl.gz" ? createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES }) : createZstdDecompressor();
    // pipeline, unlike pipe, forwards a read error of the file into the decompressor's iteration.
    output = pipeline(raw, decompressor, () => {});
  }
  try {
    for await (const chunk of output) {
      if (output === raw) countRawBytes(chunk as Buffer);
      yield chunk as Uint8Array;
    }
  } catch (error) {
    throw describeReadError(error, format, options.label);
  } finally {
    output.destroy();
    raw.destroy();
  }
}

/** A Transform around fzstd's streaming decompressor (node:zlib has no zstd before Node 22.15). */
function createZstdDecompressor(): Transform {
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        decompressor.push(chunk);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback) {
      try {
        // The final push is where fzstd notices a frame that stops in the middle.
        decompressor.push(new Uint8Array(0), true);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  const decompressor = new Decompress((data) => {
    if (data.length > 0) transform.push(data);
  });
  return transform;
}

function describeReadError(error: unknown, format: string, label: string): Error {
  if (error instanceof InputError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === "string" && code.startsWith("E") && !code.startsWith("ERR_")) {
    return new InputError({ file: label }, `cannot read: ${message}`, { cause: error });
  }
  const kind = format === "jsonl.gz" ? "gzip" : format === "jsonl.zst" ? "zstd" : "file";
  return new InputError({ file: label }, `truncated or corrupt ${kind} data (${message})`, { cause: error });
}
