/**
 * Pre-tokenizer split patterns whose pieces never cross a word start (a space before a letter
 * after a non-space) or a line start (a non-space after a newline): every alternative either
 * ends at letters, digits, punctuation (plus trailing newlines) or is all whitespace, and newline
 * runs are taken whole before the look-ahead whitespace rule can split them. For these, text cut
 * at such a position tokenizes as the two parts tokenized separately. (GPT-2's pattern is not
 * here: its look-ahead rule splits a newline run differently at the end of a text.)
 */
const WORD_START_SAFE_PATTERNS = new Set([
  // cl100k_base, Llama-3
  String.raw`(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`,
  // Qwen2 / Qwen3
  String.raw`(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`,
  // o200k_base
  String.raw`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+`,
]);

export function splitsAtWordStarts(pattern: string): boolean {
  return WORD_START_SAFE_PATTERNS.has(pattern);
}
