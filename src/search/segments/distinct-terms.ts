import { mergeSorted, type RunFormat, type SortedCursor } from "./external-merge.js";
import { readSegmentLayout } from "./segment-file.js";
import { SequentialFileReader, SequentialFileWriter } from "./sequential-file.js";

/** Dictionaries open at once: two read buffers each, 8 MiB in all, whatever the number of segments. */
const FAN_IN = 64;

const compareTerms = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Distinct terms over the dictionaries of several segment files, read piece by piece and merged
 * in passes of at most FAN_IN files, so counting holds a bounded amount of memory however many
 * segments and terms the index has.
 */
export async function countDistinctTerms(segmentPaths: readonly string[], scratchDirectory: string): Promise<number> {
  const dictionaries = await Promise.all(segmentPaths.map(async (path) => {
    const layout = await readSegmentLayout(path);
    return () => new DictionaryCursor(path, layout.termOffsets, layout.termBytes);
  }));
  let count = 0;
  let previous: string | undefined;
  mergeSorted(dictionaries, { compare: compareTerms, format: termRunFormat, scratchDirectory, fanIn: FAN_IN }, (term) => {
    if (term !== previous) count++;
    previous = term;
  });
  return count;
}

/** A segment's sorted dictionary, read term by term from its offsets and bytes arrays. */
class DictionaryCursor implements SortedCursor<string> {
  current: string | undefined;
  private readonly offsets: SequentialFileReader;
  private readonly bytes: SequentialFileReader;
  private offset: number;

  constructor(path: string, offsets: { start: number; count: number }, bytes: { start: number; count: number }) {
    this.offsets = new SequentialFileReader(path, offsets.start, offsets.start + offsets.count * 4);
    this.bytes = new SequentialFileReader(path, bytes.start, bytes.start + bytes.count);
    this.offset = offsets.count > 0 ? this.offsets.read(4).readUInt32LE(0) : 0;
    this.advance();
  }

  advance(): boolean {
    if (this.offsets.done) {
      this.current = undefined;
      return false;
    }
    const next = this.offsets.read(4).readUInt32LE(0);
    this.current = this.bytes.read(next - this.offset).toString("utf8");
    this.offset = next;
    return true;
  }

  close(): void {
    this.offsets.close();
    this.bytes.close();
  }
}

/** Intermediate term runs: each term as a 4-byte length and its UTF-8 bytes. */
const termRunFormat: RunFormat<string> = {
  create(path) {
    const writer = new SequentialFileWriter(path);
    const length = Buffer.alloc(4);
    return {
      write(term) {
        const bytes = Buffer.from(term, "utf8");
        length.writeUInt32LE(bytes.length, 0);
        writer.write(length);
        writer.write(bytes);
      },
      close: () => writer.close(),
    };
  },
  open(path) {
    const reader = new SequentialFileReader(path);
    const cursor = {
      current: undefined as string | undefined,
      advance(): boolean {
        cursor.current = reader.done ? undefined : reader.read(reader.read(4).readUInt32LE(0)).toString("utf8");
        return cursor.current !== undefined;
      },
      close: () => reader.close(),
    };
    cursor.advance();
    return cursor;
  },
};
