import { IntegerCounter } from "./histogram.js";

/**
 * Default number of distinct ids a DistinctCounter tracks: a Map of 5M short strings takes
 * ~0.5 GB, which is as much as a report should spend on a reuse statistic.
 */
export const DEFAULT_TRACKED_IDS = 5_000_000;

/**
 * Counts how often each id occurs, tracking at most `limit` distinct ids; ids first seen after
 * that are not counted and `truncated` says so (the report then states the statistic is partial).
 */
export class DistinctCounter {
  private readonly counts = new Map<string, number>();
  private dropped = false;

  constructor(private readonly limit = DEFAULT_TRACKED_IDS) {}

  add(id: string): void {
    const count = this.counts.get(id);
    if (count !== undefined) this.counts.set(id, count + 1);
    else if (this.counts.size < this.limit) this.counts.set(id, 1);
    else this.dropped = true;
  }

  /** True when some ids were not tracked because the limit was reached. */
  get truncated(): boolean {
    return this.dropped;
  }

  /** How many ids occurred once, twice, ... */
  occurrences(): IntegerCounter {
    const counter = new IntegerCounter();
    for (const count of this.counts.values()) counter.add(count);
    return counter;
  }
}
