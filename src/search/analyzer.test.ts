import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { createAnalyzer, DEFAULT_ANALYSIS, hashWord, scanUnicodeWords, scanWords } from "./analyzer.js";

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

test("the chunked scan finds exactly the words and hashes of the Unicode steps over the whole text", () => {
  // Characters at the edges of the chunking argument: case-ignorable ASCII, curly and straight
  // apostrophes, a combining mark, sigma (lower-cased by context), U+0130 (lower-cases to two
  // code units), compatibility decompositions (ligature, telephone sign, fraction, no-break space),
  // an astral letter, control characters and the non-ASCII chunk boundaries.
  const alphabet = [..."aBz09 .:'^`-_,\n\b\u0007", "é", "É", "Σ", "σ", "\u0301", "\u2019", "\u2018", "\u201c", "\u201d", "\u2014", "\u2013", "\u2192", "\u2026", "\u0130", "\u2121", "\ufb01", "\u00bd", "\u00a0", "\u{10400}", "ß", "\u00aa"];
  const words = (scan: typeof scanWords, text: string) => {
    const found: string[] = [];
    scan(text, (source, start, end, hash) => {
      assert.equal(hash, hashWord(source, start, end));
      found.push(source.slice(start, end));
    });
    return found;
  };
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }), (characters) => {
      const text = characters.join("");
      assert.deepEqual(words(scanWords, text), words(scanUnicodeWords, text));
    }),
    { numRuns: 20_000 },
  );
  assert.deepEqual(words(scanWords, "Ab.c:d'e x'\u00e9 \u201cNa\u00efve\u201d ΟΔΟΣ. e.g.\u00e9"), ["ab", "c", "d'e", "x'e", "naive", "οδος", "e", "g", "e"]);
});
