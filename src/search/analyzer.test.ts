import { test } from "node:test";
import assert from "node:assert/strict";
import { createAnalyzer, DEFAULT_ANALYSIS } from "./analyzer.js";

test("analysis splits words, folds case and accents, drops possessives and stopwords, stems", () => {
  const analyze = createAnalyzer(DEFAULT_ANALYSIS);
  assert.deepEqual(analyze("The Users' Time-Sharing systems of Café ÉLAN, and the user's manuals!"), [
    "user", "time", "share", "system", "cafe", "elan", "user", "manual",
  ]);
});

test("query syntax characters vanish instead of meaning anything", () => {
  const analyze = createAnalyzer(DEFAULT_ANALYSIS);
  assert.deepEqual(analyze('"operating" -systems (UNIX) | C++ @field ~2'), ["oper", "system", "unix", "c", "field", "2"]);
});

test("stopwords and stemming can be switched off", () => {
  const analyze = createAnalyzer({ stopwords: "none", stemmer: "none" });
  assert.deepEqual(analyze("The running of the Systems"), ["the", "running", "of", "the", "systems"]);
});
