import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { encodeStrings } from "./segment-builder.js";
import type { SegmentParts } from "./segment-parts.js";
import { compareUtf8AsUtf16, SegmentReader } from "./segment-reader.js";

const encoder = new TextEncoder();
// Characters from every UTF-8 length, with the ranges where byte order and JavaScript order disagree.
const character = fc.oneof(
  fc.constantFrom("a", "b", "z", "é", "ß", "ж", "中", "\uE000", "\uFB01", "\uFFFD", "😀", "𝔸", "\u{10FFFF}"),
  fc.integer({ min: 0x20, max: 0x10ffff }).filter((c) => c < 0xd800 || c > 0xdfff).map((c) => String.fromCodePoint(c)),
);
const word = fc.array(character, { maxLength: 6 }).map((characters) => characters.join(""));

test("UTF-8 bytes compare in JavaScript string order, including astral against U+E000..U+FFFF", () => {
  fc.assert(
    fc.property(word, word, fc.nat(4), (a, b, padding) => {
      const stored = new Uint8Array(padding + encoder.encode(a).length);
      stored.set(encoder.encode(a), padding);
      const order = Math.sign(compareUtf8AsUtf16(stored, padding, stored.length, encoder.encode(b)));
      assert.equal(order, a < b ? -1 : a > b ? 1 : 0, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }),
    { numRuns: 5000 },
  );
  // Byte order alone would put the astral character after U+FFFD; JavaScript puts it before.
  const astral = encoder.encode("😀");
  assert.ok(compareUtf8AsUtf16(astral, 0, astral.length, encoder.encode("\uFFFD")) < 0);
});

test("findTermBytes finds every dictionary term at its ordinal and no other word, over many sampled keys", () => {
  // Words sharing long prefixes (so many sampled keys tie) and from every UTF-8 length.
  const prefixed = fc.tuple(fc.constantFrom("", "a", "abcdef", "\uE000\uE000", "😀😀"), word).map(([prefix, rest]) => prefix + rest);
  fc.assert(
    fc.property(fc.uniqueArray(prefixed, { minLength: 1, maxLength: 300 }), fc.array(prefixed, { maxLength: 50 }), (words, probes) => {
      const terms = [...words].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const { offsets, bytes } = encodeStrings(terms);
      const reader = new SegmentReader({ termCount: terms.length, termOffsets: offsets, termBytes: bytes, idBytes: new Uint8Array(0) } as unknown as SegmentParts);
      terms.forEach((term, ordinal) => assert.equal(reader.findTermBytes(encoder.encode(term)), ordinal, JSON.stringify(term)));
      for (const probe of probes) assert.equal(reader.findTermBytes(encoder.encode(probe)), terms.indexOf(probe), JSON.stringify(probe));
    }),
    { numRuns: 300 },
  );
});
