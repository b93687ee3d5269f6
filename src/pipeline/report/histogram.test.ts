import { test } from "node:test";
import assert from "node:assert/strict";
import { FixedWidthHistogram, IntegerCounter, integerHistogram, niceWidth, wordCountHistogram } from "./histogram.js";

const counter = (values: number[]) => {
  const counted = new IntegerCounter();
  for (const value of values) counted.add(value);
  return counted;
};

test("integer values that span few integers get one bar each, gaps included", () => {
  assert.deepEqual(integerHistogram(counter([131072, 131072, 131072])), { labels: ["131072"], counts: [3] });
  assert.deepEqual(integerHistogram(counter([1, 2, 2, 5])), { labels: ["1", "2", "3", "4", "5"], counts: [1, 2, 0, 0, 1] });
  assert.deepEqual(integerHistogram(counter([])), { labels: [], counts: [] });
});

test("wide integer ranges are binned with round widths, labelled from the smallest value", () => {
  assert.deepEqual(integerHistogram(counter([1, 7, 19, 20, 95]), 5), { labels: ["1–19", "20–39", "40–59", "60–79", "80–99"], counts: [3, 1, 0, 0, 1] });
  assert.deepEqual([niceWidth(0.3), niceWidth(1.2), niceWidth(3), niceWidth(25), niceWidth(120), niceWidth(1.5, 2)], [1, 2, 5, 50, 200, 2]);
});

test("topic word counts bin like the paper: 1..5 and 6+", () => {
  assert.deepEqual(wordCountHistogram(counter([1, 2, 2, 6, 9, 0])), { labels: ["1", "2", "3", "4", "5", "6+"], counts: [2, 2, 0, 0, 0, 2] });
});

test("real values fall in equal-width bins and the maximum in the last", () => {
  const histogram = new FixedWidthHistogram(0, 10, 4);
  for (const value of [0, 2.4, 2.5, 9.99, 10]) histogram.add(value);
  assert.deepEqual(histogram.histogram(1), { labels: ["0.0", "2.5", "5.0", "7.5"], counts: [2, 1, 0, 2] });
  const flat = new FixedWidthHistogram(3, 3, 40);
  flat.add(3);
  flat.add(3);
  assert.deepEqual(flat.histogram(), { labels: ["3.00"], counts: [2] });
});
