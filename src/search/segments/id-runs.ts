import { mergeSorted, type RunFormat, type SortedCursor } from "./external-merge.js";
import { SequentialFileReader, SequentialFileWriter } from "./sequential-file.js";

/**
 * One document of a segment as duplicate-id detection sees it: the 64-bit hash of its id (two
 * 32-bit halves), where it is (segment ordinal in corpus order, document number in the segment)
 * and its length in characters (so counts of indexed text can leave duplicates out).
 * Ids are compared by hash only: two different ids share a 64-bit hash with probability about
 * n²/2^65 (3e-6 for 10 million ids), and the later one is then taken for a duplicate.
 */
export interface IdRecord {
  high: number;
  low: number;
  segment: number;
  local: number;
  characters: number;
}

const RECORD_BYTES = 20;

/** Where the id run of a segment file goes. */
export const idRunFile = (segmentPath: string) => `${segmentPath}.ids`;

/** Corpus order within one hash: the first occurrence of an id comes first. */
export function compareIdRecords(a: IdRecord, b: IdRecord): number {
  return a.high - b.high || a.low - b.low || a.segment - b.segment || a.local - b.local;
}

/**
 * Writes the id run of one segment: its documents' records sorted by hash, so that all runs of
 * an index merge into duplicate groups with a bounded amount of memory however large the corpus.
 */
export function writeIdRun(path: string, segment: number, ids: readonly string[], characters: (local: number) => number): void {
  const high = new Uint32Array(ids.length);
  const low = new Uint32Array(ids.length);
  ids.forEach((id, local) => ([high[local], low[local]] = hashIdPair(id)));
  const order = Uint32Array.from(ids.keys()).sort((a, b) => high[a]! - high[b]! || low[a]! - low[b]! || a - b);
  const writer = idRunFormat.create(path);
  try {
    for (const local of order) writer.write({ high: high[local]!, low: low[local]!, segment, local, characters: characters(local) });
  } finally {
    writer.close();
  }
}

/** Id runs on disk: fixed-size little-endian records in sorted order. */
export const idRunFormat: RunFormat<IdRecord> = {
  create(path) {
    const writer = new SequentialFileWriter(path);
    const record = Buffer.alloc(RECORD_BYTES);
    return {
      write(item) {
        record.writeUInt32LE(item.high, 0);
        record.writeUInt32LE(item.low, 4);
        record.writeUInt32LE(item.segment, 8);
        record.writeUInt32LE(item.local, 12);
        record.writeUInt32LE(item.characters, 16);
        writer.write(record);
      },
      close: () => writer.close(),
    };
  },
  open(path) {
    return new IdRunCursor(new SequentialFileReader(path));
  },
};

class IdRunCursor implements SortedCursor<IdRecord> {
  current: IdRecord | undefined;
  // One record object, rewritten on every step: the merge reads it before advancing.
  private readonly record: IdRecord = { high: 0, low: 0, segment: 0, local: 0, characters: 0 };

  constructor(private readonly reader: SequentialFileReader) {
    this.advance();
  }

  advance(): boolean {
    if (this.reader.done) {
      this.current = undefined;
      return false;
    }
    const bytes = this.reader.read(RECORD_BYTES);
    this.record.high = bytes.readUInt32LE(0);
    this.record.low = bytes.readUInt32LE(4);
    this.record.segment = bytes.readUInt32LE(8);
    this.record.local = bytes.readUInt32LE(12);
    this.record.characters = bytes.readUInt32LE(16);
    this.current = this.record;
    return true;
  }

  close(): void {
    this.reader.close();
  }
}

/** Sorted id runs open at once in the duplicate search: 64 read buffers (4 MiB) whatever the corpus size. */
const FAN_IN = 64;

/**
 * Finds every document whose id an earlier document (in corpus order: segment, then position)
 * already has, by merging the segments' id runs; calls `onDuplicate` for each such later one.
 */
export function findDuplicateIds(runs: readonly string[], scratchDirectory: string, onDuplicate: (record: IdRecord) => void): void {
  let high = -1;
  let low = -1;
  mergeSorted(runs.map((path) => () => idRunFormat.open(path)), { compare: compareIdRecords, format: idRunFormat, scratchDirectory, fanIn: FAN_IN }, (record) => {
    if (record.high === high && record.low === low) onDuplicate(record);
    high = record.high;
    low = record.low;
  });
}

/** Two 32-bit hashes of the UTF-16 code units with different multipliers and final mixing. */
function hashIdPair(id: string): [number, number] {
  let a = 0xdeadbeef;
  let b = 0x41c6ce57;
  for (let i = 0; i < id.length; i++) {
    const unit = id.charCodeAt(i);
    a = Math.imul(a ^ unit, 2654435761);
    b = Math.imul(b ^ unit, 1597334677);
  }
  a = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909);
  b = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(a ^ (a >>> 13), 3266489909);
  return [a >>> 0, b >>> 0];
}
