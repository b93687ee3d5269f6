import type { Histogram } from "./run-report.js";

/** Counts occurrences of integer values (hits per topic, documents per sample, ...). */
export class IntegerCounter {
  private readonly counts = new Map<number, number>();

  add(value: number, times = 1): void {
    this.counts.set(value, (this.counts.get(value) ?? 0) + times);
  }

  get size(): number {
    return this.counts.size;
  }

  /** Value/count pairs, smallest value first. */
  entries(): Array<[number, number]> {
    return [...this.counts.entries()].sort((a, b) => a[0] - b[0]);
  }
}

/**
 * Bars for counted integer values: one bar per value when the values span fewer than `maxBars`
 * integers, else equal-width ranges ("10–19") from the smallest value, so a
 * well-behaved run (every sample exactly N tokens) shows exactly one bar.
 */
export function integerHistogram(counter: IntegerCounter, maxBars = 40): Histogram {
  const entries = counter.entries();
  if (entries.length === 0) return { labels: [], counts: [] };
  const first = entries[0]![0];
  const last = entries[entries.length - 1]![0];
  if (last - first < maxBars) {
    // Every value in the range gets a bar, zeros included, so gaps are visible.
    const labels: string[] = [];
    const counts: number[] = [];
    const byValue = new Map(entries);
    for (let value = first; value <= last; value++) {
      labels.push(String(value));
      counts.push(byValue.get(value) ?? 0);
    }
    return { labels, counts };
  }
  const width = niceWidth((last - first + 1) / maxBars, 2);
  const start = Math.floor(first / width) * width;
  const bins = Math.floor((last - start) / width) + 1;
  const counts = new Array<number>(bins).fill(0);
  for (const [value, count] of entries) counts[Math.floor((value - start) / width)]! += count;
  // The first bin is labelled from the smallest value seen ("1–19", not "0–19").
  const labels = counts.map((_, bin) => `${Math.max(first, start + bin * width)}–${start + (bin + 1) * width - 1}`);
  return { labels, counts };
}

/** Topic word counts binned as the paper reports them: 1, 2, 3, 4, 5, 6+. */
export function wordCountHistogram(counter: IntegerCounter, openEndedFrom = 6): Histogram {
  const counts = new Array<number>(openEndedFrom).fill(0);
  for (const [words, count] of counter.entries()) counts[Math.min(Math.max(words, 1), openEndedFrom) - 1]! += count;
  const labels = counts.map((_, i) => (i + 1 === openEndedFrom ? `${openEndedFrom}+` : String(i + 1)));
  return { labels, counts };
}

/**
 * A histogram of real values over a range known in advance (a first pass finds it), with
 * `bins` equal-width bins; the maximum lands in the last bin.
 */
export class FixedWidthHistogram {
  private readonly counts: number[];
  private readonly width: number;

  constructor(
    private readonly minimum: number,
    private readonly maximum: number,
    private readonly bins: number,
  ) {
    this.counts = new Array<number>(bins).fill(0);
    this.width = maximum > minimum ? (maximum - minimum) / bins : 1;
  }

  add(value: number): void {
    const bin = Math.min(this.bins - 1, Math.max(0, Math.floor((value - this.minimum) / this.width)));
    this.counts[bin]!++;
  }

  /** Labels are bin starts, rounded to `digits` decimals. */
  histogram(digits = 2): Histogram {
    if (this.maximum <= this.minimum) return { labels: [this.minimum.toFixed(digits)], counts: [this.counts.reduce((a, b) => a + b, 0)] };
    return { labels: this.counts.map((_, bin) => (this.minimum + bin * this.width).toFixed(digits)), counts: [...this.counts] };
  }
}

/** The smallest of 1, 2, 5 × 10^n that is at least `raw` and `minimum`: bin widths people read easily. */
export function niceWidth(raw: number, minimum = 1): number {
  if (raw <= minimum) return minimum;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const step of [1, 2, 5, 10]) if (step * power >= raw) return step * power;
  return 10 * power;
}
