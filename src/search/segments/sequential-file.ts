import { closeSync, openSync, readSync, writeSync } from "node:fs";
import { CorruptFileError } from "../../core/corrupt-file-error.js";

/** Bytes read or written per system call: memory per open stream, whatever the file's size. */
export const CHUNK_BYTES = 1 << 16;

/**
 * Reads a byte range of a file front to back through one fixed-size buffer, so an external merge
 * can hold many files open at a bounded cost. Reads are synchronous: the merge phases that use it
 * run while the worker threads are idle, and a chunk at a time keeps them short.
 */
export class SequentialFileReader {
  private buffer = Buffer.alloc(CHUNK_BYTES);
  private start = 0;
  private end = 0;
  private position: number;
  private readonly descriptor: number;

  constructor(private readonly path: string, from = 0, private readonly to = Number.POSITIVE_INFINITY) {
    this.descriptor = openSync(path, "r");
    this.position = from;
  }

  /** True when every byte of the range has been read. */
  get done(): boolean {
    return this.start === this.end && !this.fill(1);
  }

  /** The next `length` bytes, valid until the next call; throws CorruptFileError when the range ends first. */
  read(length: number): Buffer {
    if (this.end - this.start < length && !this.fill(length)) throw new CorruptFileError(`${this.path}: ends inside a record`);
    const bytes = this.buffer.subarray(this.start, this.start + length);
    this.start += length;
    return bytes;
  }

  close(): void {
    closeSync(this.descriptor);
  }

  /** Makes at least `length` bytes available; false at the end of the range. */
  private fill(length: number): boolean {
    const kept = this.end - this.start;
    // A record longer than the buffer (a very long term) grows it for good: rare, and bounded by that record.
    const buffer = length > this.buffer.length ? Buffer.alloc(length) : this.buffer;
    this.buffer.copy(buffer, 0, this.start, this.end);
    this.buffer = buffer;
    this.start = 0;
    this.end = kept;
    while (this.end < length) {
      const wanted = Math.min(this.buffer.length - this.end, this.to - this.position);
      const read = wanted > 0 ? readSync(this.descriptor, this.buffer, this.end, wanted, this.position) : 0;
      if (read === 0) return false;
      this.end += read;
      this.position += read;
    }
    return true;
  }
}

/** Appends to a new file through one fixed-size buffer. */
export class SequentialFileWriter {
  private readonly buffer = Buffer.alloc(CHUNK_BYTES);
  private length = 0;
  private readonly descriptor: number;

  constructor(path: string) {
    this.descriptor = openSync(path, "w");
  }

  /** Appends `bytes` (copied: the caller may reuse them). */
  write(bytes: Uint8Array): void {
    if (this.length + bytes.length > this.buffer.length) this.flush();
    if (bytes.length > this.buffer.length) this.writeAll(bytes);
    else {
      this.buffer.set(bytes, this.length);
      this.length += bytes.length;
    }
  }

  close(): void {
    this.flush();
    closeSync(this.descriptor);
  }

  private flush(): void {
    this.writeAll(this.buffer.subarray(0, this.length));
    this.length = 0;
  }

  private writeAll(bytes: Uint8Array): void {
    let written = 0;
    while (written < bytes.length) written += writeSync(this.descriptor, bytes, written, bytes.length - written);
  }
}
