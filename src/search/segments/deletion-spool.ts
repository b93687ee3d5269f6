import { appendFileSync, readFileSync } from "node:fs";
import { GrowableUint32 } from "./postings-encoding.js";

/** Deleted documents held in memory before they go to disk: 8 bytes each, 8 MiB at most. */
const SPOOL_ENTRIES = 1 << 20;

/** Where the documents to delete from a segment file are listed. */
export const deletionFile = (segmentPath: string) => `${segmentPath}.deleted`;

/**
 * Collects documents to delete from segments (found in any order) and appends them to one file
 * per segment (`deletionFile(segment)`: little-endian document numbers), spilling whenever the
 * buffer fills, so a corpus of mostly duplicates needs no more memory than one without.
 */
export class DeletionSpool {
  private readonly segments = new GrowableUint32();
  private readonly locals = new GrowableUint32();
  private readonly touched = new Set<number>();

  constructor(private readonly deletionFile: (segment: number) => string) {}

  add(segment: number, local: number): void {
    this.segments.push(segment);
    this.locals.push(local);
    this.touched.add(segment);
    if (this.segments.length >= SPOOL_ENTRIES) this.flush();
  }

  /** Writes what is buffered; returns the segments that have deletions so far. */
  flush(): ReadonlySet<number> {
    const count = this.segments.length;
    const segments = this.segments.view();
    const locals = this.locals.view();
    const order = Uint32Array.from({ length: count }, (_, i) => i).sort((a, b) => segments[a]! - segments[b]!);
    for (let from = 0; from < count; ) {
      const segment = segments[order[from]!]!;
      let to = from;
      while (to < count && segments[order[to]!] === segment) to++;
      appendFileSync(this.deletionFile(segment), new Uint8Array(Uint32Array.from(order.subarray(from, to), (i) => locals[i]!).buffer));
      from = to;
    }
    this.segments.length = 0;
    this.locals.length = 0;
    return this.touched;
  }
}

/** The deletion flags of a segment of `docCount` documents from its deletion file (1 = deleted). */
export function readDeletions(path: string, docCount: number): Uint8Array {
  const bytes = readFileSync(path);
  const locals = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  const deleted = new Uint8Array(docCount);
  for (const local of locals) deleted[local] = 1;
  return deleted;
}
