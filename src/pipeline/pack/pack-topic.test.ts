import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { loadTokenizer } from "../../tokenizer/load-tokenizer.js";
import type { Tokenizer } from "../../tokenizer/tokenizer.js";
import { packTopic } from "./pack-topic.js";
import { findExactTokenCut } from "./exact-token-cut.js";

let tokenizer: Tokenizer;
before(async () => {
  tokenizer = await loadTokenizer("llama3");
});
after(() => tokenizer.free());

// Words, punctuation runs, newlines, spaces, digits, accents and emoji: the places where
// BPE tokenization of a prefix differs from the prefix of a tokenization.
const piece = fc.constantFrom("the", " cat", "sat.", "\n\n", "\n", "  ", "!!", "...", " 12345", "café", "😀", "日本", " un", "believ", "ably", "—", "\t", "'s", "\r\n", "x");
const documentText = fc.array(piece, { minLength: 1, maxLength: 120 }).map((parts) => parts.join(""));

test("every cut re-tokenizes to exactly the requested length", () => {
  fc.assert(
    fc.property(fc.array(documentText, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 300 }), (texts, length) => {
      const text = texts.join("\n\n");
      let start = 0;
      for (;;) {
        const cut = findExactTokenCut(tokenizer, text, start, length);
        if (cut === undefined) {
          assert.ok(tokenizer.count(text.slice(start)) < length + 2, "gave up although plenty of text was left");
          return;
        }
        assert.ok(cut.start - start <= 16);
        assert.equal(tokenizer.count(text.slice(cut.start, cut.end)), length);
        start = cut.end;
      }
    }),
    { numRuns: 150, seed: 7 },
  );
});

test("packing accounts for every document and keeps provenance exact", () => {
  fc.assert(
    fc.property(fc.array(documentText, { minLength: 1, maxLength: 30 }), fc.integer({ min: 8, max: 400 }), fc.integer({ min: 1, max: 4 }), (texts, length, samplesPerTopic) => {
      const documents = texts.map((text, i) => ({ id: `d${i}`, text }));
      const { samples, counts } = packTopic(documents, tokenizer, { length, samplesPerTopic, separator: "\n\n" });
      assert.ok(samples.length <= samplesPerTopic);
      assert.equal(counts.used + counts.duplicate + counts.empty + counts.overflow + counts.shortTail, documents.length);
      const unique = new Set(texts.map((text) => text.trim()).filter(Boolean));
      assert.equal(counts.duplicate, texts.filter((text) => text.trim()).length - unique.size);
      for (const sample of samples) {
        assert.equal(sample.tokenCount, length);
        assert.equal(tokenizer.count(sample.text), length);
        assert.equal(sample.docOffsets[0], 0);
        sample.docIds.forEach((id, i) => {
          const stretch = sample.text.slice(sample.docOffsets[i], sample.docOffsets[i + 1] ?? sample.text.length).replace(/\n\n$/, "").trim();
          assert.ok(documents[Number(id.slice(1))]!.text.includes(stretch), `stretch of ${id} comes from ${id}`);
        });
      }
    }),
    { numRuns: 100, seed: 11 },
  );
});

test("a boundary document continues in the next sample; the short tail is counted, not emitted", () => {
  const documents = [
    { id: "a", text: "alpha ".repeat(30) },
    { id: "b", text: "beta ".repeat(30) },
    { id: "a-again", text: `  ${"alpha ".repeat(30)}  ` },
    { id: "blank", text: " \n " },
    { id: "c", text: "gamma" },
  ];
  const { samples, counts, skippedCharacters } = packTopic(documents, tokenizer, { length: 20, samplesPerTopic: 10, separator: "\n\n" });
  assert.deepEqual(samples.map((sample) => sample.docIds), [["a"], ["a", "b"], ["b"]]);
  assert.deepEqual(counts, { used: 2, duplicate: 1, empty: 1, overflow: 0, shortTail: 1 });
  assert.equal(skippedCharacters, 0);
  assert.equal(samples[0]!.text, "alpha" + " alpha".repeat(19));
  // The next sample starts at the next non-space character of the cut document.
  assert.equal(samples[1]!.text, "alpha" + " alpha".repeat(9) + "\n\nbeta" + " beta".repeat(8));
  assert.deepEqual(samples[1]!.docOffsets, [0, 61]);
});

test("the samples-per-topic cap counts what it leaves out as overflow", () => {
  const documents = Array.from({ length: 6 }, (_, i) => ({ id: `d${i}`, text: `document ${i} `.repeat(20) }));
  const { samples, counts } = packTopic(documents, tokenizer, { length: 50, samplesPerTopic: 2, separator: "\n\n" });
  assert.equal(samples.length, 2);
  assert.equal(counts.used + counts.overflow, 6);
  assert.ok(counts.overflow >= 3);
});
