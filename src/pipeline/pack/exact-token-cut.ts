import type { Tokenizer } from "../../tokenizer/tokenizer.js";

/** How far (in tokens) before the cut the tail re-tokenization starts. */
const TAIL_TOKENS = 64;
/** How far (in characters) around the first guess the cut may move. */
const MAX_CUT_SHIFT = 96;
/** How far the last-resort search moves the cut; each step re-tokenizes the whole sample. */
const MAX_LINEAR_SHIFT = 16;
/** How many candidate cuts are verified with a full re-tokenization before giving up. */
const MAX_FULL_CHECKS = 8;

/** How many characters the start of a sample may move forward when no end fits. */
const MAX_START_SHIFT = 16;

/** A stretch `[start, end)` of text that re-tokenizes to exactly the requested length. */
export interface ExactCut {
  start: number;
  end: number;
}

/**
 * Finds a stretch starting at `start` that re-tokenizes to exactly `length` tokens, or returns
 * undefined when the text from `start` holds fewer than `length` tokens.
 *
 * Why not just decode the first `length` ids: BPE is not prefix-stable. A cut inside a word or
 * after punctuation can re-tokenize into a different count, and a trainer (or `verify`) sees
 * the text, not our ids. So the first guess is refined by re-tokenizing only a short tail, and
 * the chosen cut is confirmed by re-tokenizing the whole sample. Rarely no end gives exactly
 * `length` (the count jumps by two at one character); then the start moves forward a character
 * at a time, and the caller counts what was skipped.
 */
export function findExactTokenCut(tokenizer: Tokenizer, text: string, start: number, length: number): ExactCut | undefined {
  for (let shifted = start; shifted <= start + MAX_START_SHIFT && shifted < text.length; shifted++) {
    const window = tokenWindow(tokenizer, text, shifted, length);
    if (!window) return undefined;
    const end = findExactEnd(tokenizer, text, shifted, length, window);
    if (end !== undefined) return { start: shifted, end };
  }
  return undefined;
}

function findExactEnd(tokenizer: Tokenizer, text: string, start: number, length: number, window: TokenWindow): number | undefined {
  if (window.ids.length === length) return window.end; // the rest of the text is exactly one sample
  const guess = start + charIndexAtUtf8Byte(window.text, tokenizer.decodeBytes(window.ids.subarray(0, length)).length);
  const anchorTokens = stableAnchor(tokenizer, window.ids, length - TAIL_TOKENS);
  const anchor = start + charIndexAtUtf8Byte(window.text, tokenizer.decodeBytes(window.ids.subarray(0, anchorTokens)).length);
  let fullChecks = 0;
  for (const end of candidateCuts(guess, anchor, window.end)) {
    const predicted = anchorTokens + tokenizer.count(text.slice(anchor, end));
    if (predicted !== length) continue;
    if (tokenizer.count(text.slice(start, end)) === length) return end;
    if (++fullChecks >= MAX_FULL_CHECKS) break;
  }
  return linearSearch(tokenizer, text, start, guess, length);
}

/**
 * A token position at or before `from` where the tokenization of the prefix cannot depend on
 * what follows: a token that starts with a space and a letter, right after a token that does
 * not end in whitespace (a word boundary in every byte-level split pattern we know). Falls
 * back to `from` itself; the full re-tokenization check keeps that safe.
 */
function stableAnchor(tokenizer: Tokenizer, ids: Uint32Array, from: number): number {
  if (from <= 0) return 0;
  for (let position = from; position > Math.max(0, from - 4 * TAIL_TOKENS); position--) {
    const token = tokenizer.decodeBytes(ids.subarray(position, position + 1));
    const previous = tokenizer.decodeBytes(ids.subarray(position - 1, position));
    const previousLast = previous[previous.length - 1];
    if (token[0] === 0x20 && isAsciiLetter(token[1]) && previousLast !== undefined && !isAsciiWhitespace(previousLast)) return position;
  }
  return from;
}

function isAsciiLetter(byte: number | undefined): boolean {
  return byte !== undefined && ((byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a));
}

function isAsciiWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === 0x0b || byte === 0x0c;
}

interface TokenWindow {
  text: string;
  ids: Uint32Array;
  end: number;
}

/** The slice from `start` that is long enough to hold more than `length` tokens (or all of it). */
function tokenWindow(tokenizer: Tokenizer, text: string, start: number, length: number): TokenWindow | undefined {
  // A token covers at least one byte, so fewer bytes than `length` can never fill a sample.
  if (Buffer.byteLength(text.slice(start), "utf8") < length) return undefined;
  // ~4 characters per token in English; start generous, double when short.
  let characters = length * 6 + 64;
  for (;;) {
    const end = Math.min(text.length, start + characters);
    const windowText = text.slice(start, end);
    const ids = tokenizer.encode(windowText);
    if (ids.length > length || (end === text.length && ids.length === length)) return { text: windowText, ids, end };
    if (end === text.length) return undefined;
    characters *= 2;
  }
}

/** Cuts near the guess, nearest first, never before the anchor nor past the window. */
function* candidateCuts(guess: number, anchor: number, limit: number): Generator<number> {
  for (let shift = 0; shift <= MAX_CUT_SHIFT; shift++) {
    if (guess - shift > anchor) yield guess - shift;
    if (shift > 0 && guess + shift <= limit) yield guess + shift;
  }
}

/** Last resort for pathological text: full re-tokenization at each nearby cut. */
function linearSearch(tokenizer: Tokenizer, text: string, start: number, guess: number, length: number): number | undefined {
  for (let shift = 0; shift <= MAX_LINEAR_SHIFT; shift++) {
    for (const end of [guess - shift, guess + shift]) {
      if (end > start && end <= text.length && tokenizer.count(text.slice(start, end)) === length) return end;
    }
  }
  return undefined;
}

/**
 * Index of the first character not wholly inside the first `byteCount` UTF-8 bytes of `text`
 * (a cut inside a multi-byte character moves back to its start).
 */
export function charIndexAtUtf8Byte(text: string, byteCount: number): number {
  let bytes = 0;
  let index = 0;
  while (index < text.length) {
    const codePoint = text.codePointAt(index)!;
    const size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    if (bytes + size > byteCount) break;
    bytes += size;
    index += codePoint > 0xffff ? 2 : 1;
  }
  return index;
}
