/**
 * Document lengths rounded down to one of 256 values, a byte per document. Scoring needs a
 * document's exact length, a likely cache miss in a multi-megabyte array; a byte array a quarter
 * that size gives a lower bound on it, and so an upper bound on the document's score, that can
 * rule a candidate out first.
 */

/** Lengths below this are kept exactly. */
const EXACT_BELOW = 32;
/** Beyond EXACT_BELOW the values grow by this factor (about 6%), up to 2^24 terms. */
const GROWTH = Math.pow(2 ** 24 / EXACT_BELOW, 1 / (255 - EXACT_BELOW));

/** LENGTH_FLOORS[code]: the length a code stands for (ascending, LENGTH_FLOORS[0] = 0). */
export const LENGTH_FLOORS: Uint32Array = Uint32Array.from({ length: 256 }, (_, code) =>
  code < EXACT_BELOW ? code : Math.floor(EXACT_BELOW * Math.pow(GROWTH, code - EXACT_BELOW)),
);

/** Per document, the code of the largest LENGTH_FLOORS value not above its length. */
export function lengthFloorCodes(lengths: Uint32Array): Uint8Array {
  const codes = new Uint8Array(lengths.length);
  for (let i = 0; i < lengths.length; i++) {
    const length = lengths[i]!;
    if (length < EXACT_BELOW) {
      codes[i] = length;
      continue;
    }
    // The logarithm lands on the code or next to it (rounding); the table settles it.
    let code = Math.min(255, EXACT_BELOW + Math.floor(Math.log(length / EXACT_BELOW) / Math.log(GROWTH)));
    while (code < 255 && LENGTH_FLOORS[code + 1]! <= length) code++;
    while (LENGTH_FLOORS[code]! > length) code--;
    codes[i] = code;
  }
  return codes;
}
