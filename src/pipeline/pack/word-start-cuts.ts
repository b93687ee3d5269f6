/**
 * Positions where text may be cut and tokenized in two parts with the same result as whole
 * (for tokenizers whose `splitsAtWordStarts` is true): a space followed by a letter after a
 * non-space, or a non-space right after a newline. See tokenizer/split-patterns.ts.
 */
export function isWordStartCut(text: string, index: number): boolean {
  if (index <= 0 || index >= text.length) return false;
  const before = text.charCodeAt(index - 1);
  const at = text.charCodeAt(index);
  if (before === 0x0a) return !isWhitespaceCode(at);
  return at === 0x20 && !isWhitespaceCode(before) && isLetterAt(text, index + 1);
}

/** The first word-start cut in (from, limit], or undefined. */
export function nextWordStartCut(text: string, from: number, limit: number): number | undefined {
  for (let index = from + 1; index <= limit; index++) if (isWordStartCut(text, index)) return index;
  return undefined;
}

/** The last word-start cut in [limit, from), or undefined. */
export function previousWordStartCut(text: string, from: number, limit: number): number | undefined {
  for (let index = from - 1; index >= limit; index--) if (isWordStartCut(text, index)) return index;
  return undefined;
}

const WHITESPACE = /\s/;
const LETTER = /\p{L}/u;

function isWhitespaceCode(code: number): boolean {
  return WHITESPACE.test(String.fromCharCode(code));
}

function isLetterAt(text: string, index: number): boolean {
  if (index >= text.length) return false;
  return LETTER.test(String.fromCodePoint(text.codePointAt(index)!));
}
