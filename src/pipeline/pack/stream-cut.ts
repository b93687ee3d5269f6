import type { Tokenizer } from "../../tokenizer/tokenizer.js";
import { findExactTokenCut } from "./exact-token-cut.js";
import type { TokenStream } from "./token-stream.js";
import { isWordStartCut, nextWordStartCut, previousWordStartCut } from "./word-start-cuts.js";

/** How far the tail re-tokenization may reach back for a word start before giving up. */
const MAX_ANCHOR_DISTANCE = 4096;
/** How far (in characters) around the first guess the end may move. */
const MAX_END_SHIFT = 128;

/** A sample's stretch of the stream and its ids (exactly what its text tokenizes to). */
export interface StreamCut {
  start: number;
  end: number;
  ids: Uint32Array;
  /** When ids[headTokens] is the stream's token streamToken (and so on up to the tail). */
  aligned?: { headTokens: number; streamToken: number };
}

/**
 * Cuts the next stretch of exactly `length` tokens starting at character `start`, reusing the
 * stream's per-document ids: only the head (from `start` to the first word start) and the tail
 * (from the last word start to the end) are tokenized again, so packing costs little more than
 * tokenizing each document once. Tokenizers whose split pattern is not word-start safe take the
 * general path (whole-sample re-tokenization). Returns undefined when the rest is too short.
 */
export function cutFromStream(stream: TokenStream, tokenizer: Tokenizer, start: number, length: number): StreamCut | undefined {
  if (!tokenizer.splitsAtWordStarts) return generalCut(stream.text, tokenizer, start, length);
  const head = headOf(stream, tokenizer, start);
  if (!head || head.ids.length >= length) return generalCut(stream.text, tokenizer, start, length);
  const target = head.token + (length - head.ids.length);
  if (target > stream.ids.length) return undefined;
  const { char: targetChar, exact } = stream.charOfToken(target);
  if (exact && (target === stream.ids.length || isWordStartCut(stream.text, targetChar))) {
    return { start, end: targetChar, ids: concatenate(head.ids, stream.ids.subarray(head.token, target)), aligned: { headTokens: head.ids.length, streamToken: head.token } };
  }
  const tail = tailOf(stream, tokenizer, head.char, target, targetChar);
  if (!tail) return generalCut(stream.text, tokenizer, start, length);
  const ids = concatenate(head.ids, stream.ids.subarray(head.token, tail.anchorToken), tail.ids);
  return { start, end: tail.end, ids, aligned: { headTokens: head.ids.length, streamToken: head.token } };
}

/** Ids from `start` up to the first position where the stream's own ids take over. */
function headOf(stream: TokenStream, tokenizer: Tokenizer, start: number) {
  const aligned = stream.tokenAtChar(start);
  if (aligned !== undefined && (isUnitStart(stream, start) || isWordStartCut(stream.text, start))) {
    return { ids: new Uint32Array(0), char: start, token: aligned };
  }
  const unit = stream.unitAtChar(start);
  const unitEnd = stream.unitCharStarts[unit + 1]!;
  const char = nextWordStartCut(stream.text, start, unitEnd - 1) ?? unitEnd;
  const token = stream.tokenAtChar(char);
  if (token === undefined) return undefined;
  return { ids: tokenizer.encode(stream.text.slice(start, char)), char, token };
}

/** Re-tokenizes from the last word start before the target so the end lands exactly. */
function tailOf(stream: TokenStream, tokenizer: Tokenizer, headChar: number, target: number, targetChar: number) {
  const unit = stream.unitAtChar(Math.max(headChar, targetChar - 1));
  const unitStart = stream.unitCharStarts[unit]!;
  const floor = Math.max(headChar, unitStart, targetChar - MAX_ANCHOR_DISTANCE);
  const wordStart = previousWordStartCut(stream.text, targetChar, floor + 1);
  // Only positions known to split cleanly may anchor the tail: a word start, the unit start,
  // or where the head handed over to the stream's ids.
  const anchor = wordStart ?? (floor === headChar || floor === unitStart ? floor : undefined);
  if (anchor === undefined) return undefined;
  const anchorToken = stream.tokenAtChar(anchor);
  if (anchorToken === undefined || anchorToken > target) return undefined;
  const needed = target - anchorToken;
  const limit = stream.unitCharStarts[unit + 1]!;
  for (let shift = 0; shift <= MAX_END_SHIFT; shift++) {
    for (const end of shift === 0 ? [targetChar] : [targetChar - shift, targetChar + shift]) {
      if (end <= anchor || end > limit || splitsSurrogatePair(stream.text, end)) continue;
      const ids = tokenizer.encode(stream.text.slice(anchor, end));
      if (ids.length === needed) return { anchorToken, end, ids };
    }
  }
  return undefined;
}

function generalCut(text: string, tokenizer: Tokenizer, start: number, length: number): StreamCut | undefined {
  const cut = findExactTokenCut(tokenizer, text, start, length);
  return cut && { ...cut, ids: tokenizer.encode(text.slice(cut.start, cut.end)) };
}

/** True when `index` falls between the two halves of an astral character. */
export function splitsSurrogatePair(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff && index > 0 && (text.charCodeAt(index - 1) & 0xfc00) === 0xd800;
}

function isUnitStart(stream: TokenStream, char: number): boolean {
  return stream.unitCharStarts[stream.unitAtChar(char)] === char;
}

function concatenate(...parts: Uint32Array[]): Uint32Array {
  const result = new Uint32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.length;
  }
  return result;
}
