import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { loadTokenizer } from "../../tokenizer/load-tokenizer.js";
import type { Tokenizer } from "../../tokenizer/tokenizer.js";
import { packDocuments, type PackOptions, type PackResult } from "./pack-topic.js";
import { findExactTokenCut } from "./exact-token-cut.js";

let llama3: Tokenizer;
let qwen3: Tokenizer;
before(async () => {
  llama3 = await loadTokenizer("llama3");
  qwen3 = await loadTokenizer("qwen3");
});
after(() => {
  llama3.free();
  qwen3.free();
});

// Words, punctuation runs, newlines, spaces, digits, accents, emoji and CJK: the places where
// BPE tokenization of a prefix differs from the prefix of a tokenization.
const piece = fc.constantFrom("the", " cat", "sat.", "\n\n", "\n", "  ", "!!", "...", " 12345", "café", "e\u0301", "😀", "日本語", " un", "believ", "ably", "—", "\t", "'s", "\r\n", "x", " (", "):", " A", "Ω");
const documentText = fc.array(piece, { minLength: 1, maxLength: 80 }).map((parts) => parts.join(""));
const documents = fc.array(documentText, { minLength: 1, maxLength: 25 }).map((texts) => texts.map((text, i) => ({ id: `d${i}`, text })));

const base: PackOptions = {
  length: 64,
  samplesPerTopic: 4,
  separator: "\n\n",
  boundaryTokens: "none",
  split: true,
  longDocuments: "split",
  shortTopics: "drop",
  nearDuplicateThreshold: 1,
};

function checkSamples(result: PackResult, tokenizer: Tokenizer, options: PackOptions, docs: Array<{ id: string; text: string }>) {
  const frame = (options.boundaryTokens === "bos" || options.boundaryTokens === "both" ? 1 : 0) + (options.boundaryTokens === "eos" || options.boundaryTokens === "both" ? 1 : 0);
  const starts = options.boundaryTokens === "bos" || options.boundaryTokens === "both" ? 1 : 0;
  for (const sample of result.samples) {
    assert.equal(sample.ids.length, options.length);
    const content = Array.from(sample.ids.subarray(starts, sample.ids.length - (frame - starts)));
    assert.deepEqual(content, Array.from(tokenizer.encode(sample.text)), "ids are exactly what the text tokenizes to");
    const spans = sample.docTokenSpans;
    assert.equal(spans[0]![0], 0);
    assert.equal(spans[spans.length - 1]![1], options.length);
    spans.forEach(([start, end], i) => {
      if (i > 0) assert.equal(start, spans[i - 1]![1]);
      const stretch = sample.text.slice(sample.docOffsets[i], sample.docOffsets[i + 1] ?? sample.text.length);
      const edge = (i === 0 ? starts : 0) + (i === spans.length - 1 ? frame - starts : 0);
      assert.equal(tokenizer.count(stretch) + edge, end - start, `span of ${sample.docIds[i]}`);
      const source = tokenizer.normalize(docs[Number(sample.docIds[i]!.slice(1))]!.text);
      assert.ok(source.includes(stretch.replace(/\n\n$/, "").trim()), `stretch of ${sample.docIds[i]} comes from it`);
    });
  }
  const counts = result.counts;
  assert.equal(counts.used + counts.duplicate + counts.nearDuplicate + counts.empty + counts.tooLong + counts.overflow + counts.shortTail, docs.length);
}

test("every sample is exactly the length, its ids are its text's tokens, spans match documents (llama3)", () => {
  fc.assert(
    fc.property(documents, fc.integer({ min: 8, max: 300 }), fc.integer({ min: 1, max: 5 }), fc.boolean(), (docs, length, samplesPerTopic, split) => {
      const options = { ...base, length, samplesPerTopic, split };
      checkSamples(packDocuments(docs, llama3, options), llama3, options, docs);
    }),
    { numRuns: 120, seed: 11 },
  );
});

test("the same holds for Qwen3 (NFC, single digits) with BOS/EOS framing", () => {
  fc.assert(
    fc.property(documents, fc.integer({ min: 8, max: 200 }), fc.constantFrom("eos", "none") as fc.Arbitrary<"eos" | "none">, (docs, length, boundaryTokens) => {
      const options = { ...base, length, boundaryTokens };
      const result = packDocuments(docs, qwen3, options);
      checkSamples(result, qwen3, options, docs);
      if (boundaryTokens === "eos") for (const sample of result.samples) assert.equal(sample.ids[sample.ids.length - 1], 151643);
    }),
    { numRuns: 60, seed: 5 },
  );
});

test("general cuts (whole re-tokenization) are exact too, moving the start when no end fits", () => {
  fc.assert(
    fc.property(fc.array(documentText, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 300 }), (texts, length) => {
      const text = texts.join("\n\n");
      let start = 0;
      for (;;) {
        const cut = findExactTokenCut(llama3, text, start, length);
        if (cut === undefined) {
          assert.ok(llama3.count(text.slice(start)) < length + 2, "gave up although plenty of text was left");
          return;
        }
        assert.ok(cut.start - start <= 16);
        assert.equal(llama3.count(text.slice(cut.start, cut.end)), length);
        start = cut.end;
      }
    }),
    { numRuns: 100, seed: 7 },
  );
});

test("a boundary document continues in the next sample; the short tail is counted, not emitted", () => {
  const docs = [
    { id: "a", text: "alpha ".repeat(30) },
    { id: "b", text: "beta ".repeat(30) },
    { id: "a-again", text: `  ${"alpha ".repeat(30)}  ` },
    { id: "blank", text: " \n " },
    { id: "c", text: "gamma" },
  ];
  const { samples, counts, skippedCharacters } = packDocuments(docs, llama3, { ...base, length: 20, samplesPerTopic: 10 });
  assert.deepEqual(samples.map((sample) => sample.docIds), [["a"], ["a", "b"], ["b"]]);
  assert.deepEqual(counts, { used: 2, duplicate: 1, nearDuplicate: 0, empty: 1, tooLong: 0, overflow: 0, shortTail: 1 });
  assert.equal(skippedCharacters, 0);
  assert.equal(samples[0]!.text, "alpha" + " alpha".repeat(19));
  // The next sample starts at the next non-space character of the cut document.
  assert.equal(samples[1]!.text, "alpha" + " alpha".repeat(9) + "\n\nbeta" + " beta".repeat(8));
  assert.deepEqual(samples[1]!.docOffsets, [0, 61]);
  assert.deepEqual(samples[1]!.docTokenSpans, [[0, 11], [11, 20]]);
});

test("BOS and EOS frame each sample inside the length", () => {
  const docs = [{ id: "a", text: "alpha ".repeat(100) }];
  const { samples } = packDocuments(docs, llama3, { ...base, length: 20, boundaryTokens: "both" });
  assert.equal(samples.length, 4);
  for (const sample of samples) {
    assert.equal(sample.ids.length, 20);
    assert.equal(sample.ids[0], 128000);
    assert.equal(sample.ids[19], 128001);
    assert.equal(llama3.count(sample.text), 18);
  }
});

test("caps, long documents, short topics and near-duplicates are counted by name", () => {
  const docs = Array.from({ length: 6 }, (_, i) => ({ id: `d${i}`, text: `document ${i} `.repeat(20) }));
  const capped = packDocuments(docs, llama3, { ...base, length: 50, samplesPerTopic: 2 });
  assert.equal(capped.samples.length, 2);
  assert.equal(capped.counts.used + capped.counts.overflow, 6);
  assert.ok(capped.counts.overflow >= 3);

  const long = [{ id: "long", text: "word ".repeat(200) }, { id: "short", text: "tiny text" }];
  const skipped = packDocuments(long, llama3, { ...base, length: 50, longDocuments: "skip", shortTopics: "flag" });
  assert.equal(skipped.counts.tooLong, 1);
  assert.equal(skipped.samples.length, 1);
  assert.equal(skipped.samples[0]!.short, true);
  assert.equal(skipped.samples[0]!.text, "tiny text");
  assert.equal(skipped.samples[0]!.ids.length, llama3.count("tiny text"));

  const story =
    "The committee met on Tuesday to discuss the budget for the new library building and agreed on most items except parking. " +
    "Members asked the architect to revise the plans for the reading room, the children's wing and the archive in the basement, " +
    "and the treasurer promised a full report on the costs of heating, lighting and maintenance before the next meeting in spring.";
  const near = [{ id: "x", text: story }, { id: "y", text: story.replace("Tuesday", "Wednesday") }, { id: "z", text: "Completely different words about ocean tides and lunar cycles here." }];
  // One word changed in 63: the 5-gram sets share 54 of 64, a true Jaccard of 0.84.
  const deduplicated = packDocuments(near, llama3, { ...base, length: 10, nearDuplicateThreshold: 0.7 });
  assert.equal(deduplicated.counts.nearDuplicate, 1);
  assert.ok(!deduplicated.samples.some((sample) => sample.docIds.includes("y")));
});

test("--no-split moves documents that do not fit and fills with the best-fitting ones", () => {
  // Sizes in tokens (each unit ends with "\n\n", one token): 30, 30, 9, 60, 10.
  const words = (n: number, word: string) => word + ` ${word}`.repeat(n - 2);
  const docs = [
    { id: "a", text: words(30, "alpha") },
    { id: "b", text: words(30, "beta") },
    { id: "c", text: words(9, "gamma") },
    { id: "d", text: words(60, "delta") },
    { id: "e", text: words(10, "eps") },
  ];
  assert.deepEqual(docs.map((doc) => llama3.count(doc.text + "\n\n")), [30, 30, 9, 60, 10]);
  const split = packDocuments(docs, llama3, { ...base, length: 40, samplesPerTopic: 3 });
  assert.deepEqual(split.samples.map((sample) => sample.docIds), [["a", "b"], ["b", "c", "d"], ["d"]]);
  const whole = packDocuments(docs, llama3, { ...base, length: 40, samplesPerTopic: 3, split: false });
  assert.deepEqual(whole.samples.map((sample) => sample.docIds), [["a", "e"], ["b", "c", "d"], ["d"]]);
  assert.equal(whole.samples[0]!.text, docs[0]!.text + "\n\n" + docs[4]!.text + "\n\n");
});
