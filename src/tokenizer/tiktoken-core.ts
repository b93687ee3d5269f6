import { Tiktoken } from "tiktoken/lite";
import type { Tokenizer } from "./tokenizer.js";
import { splitsAtWordStarts } from "./split-patterns.js";

/** Everything needed to build a tokenizer on tiktoken's WASM BPE core. */
export interface BpeDefinition {
  name: string;
  /** tiktoken rank text: "base64 rank" lines, or the compact "! start tok tok ..." form. */
  ranks: string;
  /** Byte length of each rank (token id). */
  tokenByteLengths: Uint16Array;
  specialTokens: Record<string, number>;
  pattern: string;
  normalization: "none" | "NFC";
  bos?: number;
  eos?: number;
}

/** A Tokenizer over tiktoken's core; `encode_ordinary` keeps special-token text plain. */
export function tiktokenTokenizer(definition: BpeDefinition): Tokenizer {
  const core = new Tiktoken(definition.ranks, definition.specialTokens, definition.pattern);
  const specialTokens: Tokenizer["specialTokens"] = {};
  if (definition.bos !== undefined) specialTokens.bos = definition.bos;
  if (definition.eos !== undefined) specialTokens.eos = definition.eos;
  return {
    name: definition.name,
    encode: (text) => core.encode_ordinary(text),
    count: (text) => core.encode_ordinary(text).length,
    decodeBytes: (ids) => core.decode(ids),
    tokenByteLengths: definition.tokenByteLengths,
    normalize: definition.normalization === "NFC" ? (text) => text.normalize("NFC") : (text) => text,
    specialTokens,
    splitsAtWordStarts: splitsAtWordStarts(definition.pattern),
    free: () => core.free(),
  };
}

/** Byte lengths of every token in tiktoken's compact rank form ("! 0 IQ== Ig== ..."). */
export function compactRankByteLengths(ranks: string, specialTokens: Record<string, number>): Uint16Array {
  const lengths: number[] = [];
  const words = ranks.split(/\s+/);
  let rank = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === "") continue;
    if (word === "!") {
      rank = Number(words[++i]);
      continue;
    }
    lengths[rank++] = Buffer.from(word, "base64").length;
  }
  return withSpecialTokenLengths(lengths, specialTokens);
}

/** Adds the special tokens' byte lengths (their text) to a byte-length table. */
export function withSpecialTokenLengths(lengths: number[], specialTokens: Record<string, number>): Uint16Array {
  for (const [text, id] of Object.entries(specialTokens)) lengths[id] = Buffer.byteLength(text);
  const table = new Uint16Array(lengths.length);
  lengths.forEach((length, id) => (table[id] = length ?? 0));
  return table;
}
