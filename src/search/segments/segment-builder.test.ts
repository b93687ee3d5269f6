import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { encodeStrings } from "./segment-builder.js";

const encoder = new TextEncoder();

test("encodeStrings gives each string its own UTF-8 bytes: ASCII lists, other characters, lone surrogates", () => {
  // Lone surrogates are encoded as U+FFFD each, also where a neighbour's would pair with them.
  const piece = fc.oneof(fc.string({ unit: "grapheme-ascii" }), fc.string({ unit: "binary" }), fc.constantFrom("\ud83d", "\ude00", "é", ""));
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 20 }), (strings) => {
      const { offsets, bytes } = encodeStrings(strings);
      assert.equal(offsets.length, strings.length + 1);
      assert.equal(offsets[strings.length], bytes.length);
      strings.forEach((text, i) => assert.deepEqual(bytes.subarray(offsets[i]!, offsets[i + 1]!), encoder.encode(text)));
    }),
    { numRuns: 3000 },
  );
});
