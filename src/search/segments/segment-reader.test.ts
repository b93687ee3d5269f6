import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { compareUtf8AsUtf16 } from "./segment-reader.js";

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
