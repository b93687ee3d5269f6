import { rmSync } from "node:fs";
import { join } from "node:path";

/** A position in a sorted stream: the item under it (undefined once past the end), and a step to the next. */
export interface SortedCursor<T> {
  readonly current: T | undefined;
  /** Moves to the next item; false (and `current` is undefined) at the end. */
  advance(): boolean;
  close(): void;
}

/** How intermediate runs of an external merge are written and read back. */
export interface RunFormat<T> {
  /** A writer of a run file at `path`: items arrive in sorted order. */
  create(path: string): { write(item: T): void; close(): void };
  open(path: string): SortedCursor<T>;
}

export interface ExternalMergeOptions<T> {
  compare: (a: T, b: T) => number;
  format: RunFormat<T>;
  /** Where intermediate runs are written (and removed once merged). */
  scratchDirectory: string;
  /** Sorted inputs open at once: memory is this many read buffers. */
  fanIn: number;
}

/**
 * Visits the items of many sorted inputs in one sorted order with a bounded number of inputs open
 * at once: when there are more than `fanIn`, groups of them are first merged into intermediate
 * runs on disk, as many passes as needed. Equal items come out in the order of their inputs.
 */
export function mergeSorted<T>(inputs: ReadonlyArray<() => SortedCursor<T>>, options: ExternalMergeOptions<T>, visit: (item: T) => void): void {
  let sources = inputs;
  for (let pass = 0; sources.length > options.fanIn; pass++) {
    const runs: Array<() => SortedCursor<T>> = [];
    for (let group = 0; group * options.fanIn < sources.length; group++) {
      const path = join(options.scratchDirectory, `merge-pass${pass}-run${group}.tmp`);
      const writer = options.format.create(path);
      mergeOpen(sources.slice(group * options.fanIn, (group + 1) * options.fanIn), options.compare, (item) => writer.write(item));
      writer.close();
      runs.push(() => removedWhenClosed(options.format.open(path), path));
    }
    sources = runs;
  }
  mergeOpen(sources, options.compare, visit);
}

function mergeOpen<T>(sources: ReadonlyArray<() => SortedCursor<T>>, compare: (a: T, b: T) => number, visit: (item: T) => void): void {
  const cursors = sources.map((open) => open());
  try {
    // Ties are broken by input order, so the merge is stable.
    const heap = new CursorHeap(cursors.filter((cursor) => cursor.current !== undefined).map((cursor) => ({ cursor, input: cursors.indexOf(cursor) })), (a, b) => compare(a.cursor.current!, b.cursor.current!) || a.input - b.input);
    for (let top = heap.top; top !== undefined; top = heap.top) {
      visit(top.cursor.current!);
      if (top.cursor.advance()) heap.topChanged();
      else heap.removeTop();
    }
  } finally {
    for (const cursor of cursors) cursor.close();
  }
}

function removedWhenClosed<T>(cursor: SortedCursor<T>, path: string): SortedCursor<T> {
  return {
    get current() {
      return cursor.current;
    },
    advance: () => cursor.advance(),
    close: () => {
      cursor.close();
      rmSync(path, { force: true });
    },
  };
}

/** A binary min-heap whose top may change in place (the usual k-way merge step). */
class CursorHeap<E> {
  constructor(private readonly items: E[], private readonly compare: (a: E, b: E) => number) {
    for (let i = (items.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  get top(): E | undefined {
    return this.items[0];
  }

  topChanged(): void {
    this.siftDown(0);
  }

  removeTop(): void {
    const last = this.items.pop()!;
    if (this.items.length === 0) return;
    this.items[0] = last;
    this.siftDown(0);
  }

  private siftDown(index: number): void {
    const { items, compare } = this;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= items.length) return;
      const right = left + 1;
      const child = right < items.length && compare(items[right]!, items[left]!) < 0 ? right : left;
      if (compare(items[child]!, items[index]!) >= 0) return;
      [items[child], items[index]] = [items[index]!, items[child]!];
      index = child;
    }
  }
}
