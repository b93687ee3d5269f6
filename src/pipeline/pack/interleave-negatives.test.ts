import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { loadTokenizer } from "../../tokenizer/load-tokenizer.js";
import type { Tokenizer } from "../../tokenizer/tokenizer.js";
import { chunkKey, interleaveNegatives, packInterleaved, type ChunkReference } from "./interleave-negatives.js";

let llama3: Tokenizer;
before(async () => {
  llama3 = await loadTokenizer("llama3");
});
after(() => llama3.free());

test("each positive is followed by its first K candidates from other, non-excluded documents, none repeated", () => {
  const positives = [{ docId: "a", chunk: 0 }, { docId: "a", chunk: 1 }, { docId: "b", chunk: 0 }];
  const candidates: Record<string, ChunkReference[]> = {
    "a#0": [{ docId: "a", chunk: 1 }, { docId: "c", chunk: 0 }, { docId: "x", chunk: 3 }, { docId: "c", chunk: 1 }],
    "a#1": [{ docId: "c", chunk: 0 }, { docId: "b", chunk: 0 }, { docId: "c", chunk: 2 }],
  };
  const placed = interleaveNegatives(positives, (positive) => candidates[chunkKey(positive)] ?? [], { negativesPerGap: 2, excludedDocuments: new Set(["x"]) });
  assert.deepEqual(placed, {
    placed: [
      { kind: "positive", docId: "a", chunk: 0 },
      { kind: "negative", docId: "c", chunk: 0 },
      { kind: "negative", docId: "c", chunk: 1 },
      { kind: "positive", docId: "a", chunk: 1 },
      { kind: "negative", docId: "b", chunk: 0 },
      { kind: "negative", docId: "c", chunk: 2 },
      { kind: "positive", docId: "b", chunk: 0 },
    ],
    shortGaps: [],
  });
  const short = interleaveNegatives(positives, () => [{ docId: "a", chunk: 0 }], { negativesPerGap: 1 });
  assert.deepEqual(short.shortGaps, [0, 1], "the only candidate, a#0, is from the document of both a#0 and a#1; b#0 is last and has no gap");
  assert.equal(short.placed.length, 3);
});

const word = fc.constantFrom("the", "cat", "sat.", "café", "😀", "日本語", "12345", "(x)", "Ω", "unbelievably", "—", "it's");
const chunkText = fc.array(word, { minLength: 1, maxLength: 30 }).map((words) => words.join(" "));
const corpus = fc.array(fc.array(chunkText, { minLength: 1, maxLength: 5 }), { minLength: 2, maxLength: 8 });

function scenario(documents: string[][], topicSize: number, candidatesSeed: number, negativesPerGap: number, length: number, exclude: boolean) {
  const ids = documents.map((_, i) => `d${i}`);
  const topic = ids.slice(0, Math.min(topicSize, ids.length));
  const allChunks = ids.flatMap((docId, d) => documents[d]!.map((_, chunk) => ({ docId, chunk })));
  // Candidates: every chunk, rotated by a seed per positive (own-document chunks included on purpose).
  const candidatesOf = (positive: ChunkReference) => {
    const shift = (candidatesSeed + positive.chunk * 7 + Number(positive.docId.slice(1)) * 13) % allChunks.length;
    return [...allChunks.slice(shift), ...allChunks.slice(0, shift)];
  };
  const positives = topic.flatMap((docId) => documents[Number(docId.slice(1))]!.map((_, chunk) => ({ docId, chunk })));
  const interleaved = interleaveNegatives(positives, candidatesOf, { negativesPerGap, ...(exclude ? { excludedDocuments: new Set(topic) } : {}) });
  const chunks = interleaved.placed.map((placed) => {
    const text = documents[Number(placed.docId.slice(1))]![placed.chunk]!.trim() + "\n\n";
    return { ...placed, text, ids: llama3.encode(text) };
  });
  return { topic, positives, interleaved, packed: packInterleaved(chunks, llama3, { length, samplesPerTopic: 3, shortTopics: "drop", boundaryTokens: "none" }), documents };
}

test("property: exact lengths, positives in order, no negative from the positive's document, spans cover samples and match chunks, deterministic", () => {
  fc.assert(
    fc.property(corpus, fc.integer({ min: 1, max: 4 }), fc.nat(100), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 8, max: 48 }), fc.boolean(), (documents, topicSize, seed, k, length, exclude) => {
      const { topic, positives, interleaved, packed } = scenario(documents, topicSize, seed, k, length, exclude);
      assert.deepEqual(interleaved.placed.filter((placed) => placed.kind === "positive").map(({ docId, chunk }) => ({ docId, chunk })), positives, "positives keep their order");
      let lastPositive: ChunkReference | undefined;
      let gap = 0;
      const seen = new Set<string>();
      for (const placed of interleaved.placed) {
        if (placed.kind === "positive") {
          lastPositive = placed;
          gap = 0;
          continue;
        }
        assert.notEqual(placed.docId, lastPositive!.docId, "never from the positive's own document");
        if (exclude) assert.ok(!topic.includes(placed.docId), "never from the topic's documents when excluded");
        assert.ok(++gap <= k);
        assert.ok(!seen.has(chunkKey(placed)), "no negative repeats in a stream");
        seen.add(chunkKey(placed));
      }
      for (const sample of packed.samples) {
        assert.equal(sample.ids.length, length);
        assert.deepEqual(Array.from(sample.ids), Array.from(llama3.encode(sample.text)));
        assert.equal(sample.spans.length, sample.docIds.length);
        assert.equal(sample.spans[0]!.tokens[0], 0);
        assert.equal(sample.spans.at(-1)!.tokens[1], length);
        sample.spans.forEach((span, i) => {
          assert.deepEqual(span.tokens, sample.docTokenSpans[i]);
          assert.equal(span.docId, sample.docIds[i]);
          if (i > 0) assert.equal(span.tokens[0], sample.spans[i - 1]!.tokens[1]);
          const stretch = sample.text.slice(sample.docOffsets[i], sample.docOffsets[i + 1] ?? sample.text.length).trim();
          const chunk = documents[Number(span.docId.slice(1))]![span.chunk]!.trim();
          assert.ok(i === 0 ? chunk.endsWith(stretch) || chunk.includes(stretch) : i === sample.spans.length - 1 ? chunk.startsWith(stretch) : chunk === stretch, `span ${i} is its chunk`);
        });
      }
      assert.deepEqual(scenario(documents, topicSize, seed, k, length, exclude).packed, packed, "same inputs, same samples");
    }),
    { numRuns: 150 },
  );
});
