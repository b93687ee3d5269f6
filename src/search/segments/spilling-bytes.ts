import { closeSync, openSync, writeSync } from "node:fs";
import { GrowableBytes } from "./postings-encoding.js";

/**
 * A GrowableBytes that holds at most `capacity` bytes (or one larger append): when an append
 * would not fit, what it holds is appended to the file at `path` and dropped from memory. The
 * file then holds the first `spilled` bytes and `view()` the rest. A merge's postings, the bulk
 * of its output, so stay out of memory however large the merged segment is.
 */
export class SpillingBytes extends GrowableBytes {
  private readonly descriptor: number;
  private closed = false;

  constructor(readonly path: string, capacity = 8 * 2 ** 20) {
    super(capacity);
    this.descriptor = openSync(path, "w");
  }

  override ensure(extra: number): void {
    if (this.length + extra > this.bytes.length && this.length > 0) {
      for (let written = 0; written < this.length; ) written += writeSync(this.descriptor, this.bytes, written, this.length - written);
      this.spilled += this.length;
      this.length = 0;
    }
    super.ensure(extra);
  }

  /** Closes the file (again: nothing). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.descriptor);
  }
}
