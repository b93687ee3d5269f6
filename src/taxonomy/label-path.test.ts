import { test } from "node:test";
import assert from "node:assert/strict";
import { joinLabelPath, normalizeLabelPart, slugLabelPath, splitLabelPath } from "./label-path.js";

test("normalizeLabelPart turns non-breaking spaces and whitespace runs into single spaces", () => {
  assert.equal(normalizeLabelPart("\u00a0Regional\u00a0&\u202fEthnic \t\n "), "Regional & Ethnic");
});

test("splitLabelPath splits on / and normalises each part", () => {
  assert.deepEqual(splitLabelPath(" Cooking\u00a0/ Regional  &  Ethnic /French "), ["Cooking", "Regional & Ethnic", "French"]);
  assert.deepEqual(splitLabelPath("Cooking"), ["Cooking"]);
});

test("splitLabelPath gives [] for blank text and keeps empty parts for callers to report", () => {
  assert.deepEqual(splitLabelPath(" \u00a0 "), []);
  assert.deepEqual(splitLabelPath("Cooking /  / French"), ["Cooking", "", "French"]);
});

test("joinLabelPath joins with ' / '", () => {
  assert.equal(joinLabelPath(["Computers", "Languages", "Python"]), "Computers / Languages / Python");
});

test("slugLabelPath gives lower-case ASCII with runs of other characters as '-'", () => {
  assert.equal(slugLabelPath(["Cooking", "Regional & Ethnic", "French"]), "cooking-regional-ethnic-french");
  assert.equal(slugLabelPath(["Young Adult Nonfiction", "Métis"]), "young-adult-nonfiction-metis");
  assert.equal(slugLabelPath(["C++", "(Advanced)"]), "c-advanced");
  assert.equal(slugLabelPath(["日本"]), "");
});
