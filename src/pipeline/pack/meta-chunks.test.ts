import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { loadTokenizer } from "../../tokenizer/load-tokenizer.js";
import type { Tokenizer } from "../../tokenizer/tokenizer.js";
import { metaChunkSplitter, splitIntoMetaChunks } from "./meta-chunks.js";

let llama3: Tokenizer;
before(async () => {
  llama3 = await loadTokenizer("llama3");
});
after(() => llama3.free());

test("lines are grouped up to the target; a long line is cut at sentence ends, then at spaces", () => {
  assert.deepEqual(splitIntoMetaChunks("one\ntwo\nthree\n", 8), ["one\ntwo\n", "three\n"]);
  assert.deepEqual(splitIntoMetaChunks("First one. Second one! Third?", 12), ["First one. ", "Second one! ", "Third?"]);
  assert.deepEqual(splitIntoMetaChunks("alpha beta gamma delta", 11), ["alpha beta ", "gamma delta"]);
  assert.deepEqual(splitIntoMetaChunks("abcdefghij", 4), ["abcd", "efgh", "ij"]);
  assert.deepEqual(splitIntoMetaChunks("short", 2048), ["short"]);
});

test("whitespace-only pieces join the chunk before them instead of making a chunk", () => {
  assert.deepEqual(splitIntoMetaChunks("abc\n\n\n\n\n\n\n\nxyz", 4), ["abc\n\n\n\n\n\n\n\n", "xyz"]);
});

test("an astral character is never split, even at a cut forced inside a word", () => {
  assert.deepEqual(splitIntoMetaChunks("ab😀cd", 3), ["ab", "😀c", "d"]);
  assert.deepEqual(splitIntoMetaChunks("😀😀", 1), ["😀", "😀"]);
});

test("a token chunk size groups lines up to that many Llama-3 tokens and cuts a too-long line at its last fitting space", () => {
  const split = metaChunkSplitter({ size: 8, unit: "tokens" }, llama3);
  const text = "Tokens are counted here.\nThe second line is a little longer than eight tokens in all.\nShort.\n";
  const chunks = split(text);
  assert.deepEqual(chunks, ["Tokens are counted here.\n", "The second line is a little longer ", "than eight tokens in all.\nShort.\n"]);
  assert.deepEqual(chunks.map((chunk) => llama3.count(chunk)), [5, 8, 8]);
  // 28 characters but 6 tokens: one 2-token piece per cut, never a cut that splits a character.
  assert.deepEqual(metaChunkSplitter({ size: 2, unit: "tokens" }, llama3)("antidisestablishmentarianism"), ["antidis", "establishment", "arianism"]);
  assert.deepEqual(metaChunkSplitter({ size: 1, unit: "tokens" }, llama3)("😀é"), ["😀", "é"]);
});

test("a character chunk size splits as splitIntoMetaChunks does", () => {
  assert.deepEqual(metaChunkSplitter({ size: 12, unit: "characters" }, llama3)("First one. Second one! Third?"), ["First one. ", "Second one! ", "Third?"]);
});

test("rejects a chunk size that is not a positive integer", () => {
  assert.throws(() => splitIntoMetaChunks("text", 0), /chunk size must be a positive integer, got 0/);
});

const piece = fc.constantFrom("word", " ", "\n", "\n\n", ". ", "! ", "longerword", "😀", "é", "\t", "x");
// Documents reach the chunker trimmed.
const text = fc.array(piece, { minLength: 1, maxLength: 200 }).map((parts) => parts.join("").trim()).filter((value) => value.length > 0);

test("chunks concatenate to the text, stay within the target and never start inside a line unless the line is too long", () => {
  fc.assert(
    fc.property(text, fc.integer({ min: 2, max: 64 }), (value, target) => {
      const chunks = splitIntoMetaChunks(value, target);
      assert.equal(chunks.join(""), value);
      let offset = 0;
      for (const chunk of chunks) {
        assert.ok(chunk.trimEnd().length <= target, `chunk ${JSON.stringify(chunk)} exceeds ${target}`);
        assert.ok(chunk.trim().length > 0 || chunks.length === 1, "no whitespace-only chunk");
        const lineStart = value.lastIndexOf("\n", offset - 1) + 1;
        const lineEnd = value.indexOf("\n", offset);
        const lineLength = (lineEnd === -1 ? value.length : lineEnd + 1) - lineStart;
        if (offset > 0 && lineStart !== offset) assert.ok(lineLength > target, `cut inside a line of ${lineLength} <= ${target}`);
        offset += chunk.length;
      }
    }),
    { numRuns: 300 },
  );
});
