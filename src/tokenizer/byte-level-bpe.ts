import { z } from "zod";
import type { Tokenizer } from "./tokenizer.js";
import { tiktokenTokenizer, withSpecialTokenLengths } from "./tiktoken-core.js";

/**
 * The GPT-2 byte-level alphabet: each byte is shown as a printable code point in
 * tokenizer.json vocabularies. Inverting it turns a vocabulary entry back into its bytes.
 */
function byteLevelDecoding(): Map<string, number> {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const decoding = new Map<string, number>();
  for (const b of printable) decoding.set(String.fromCodePoint(b), b);
  let shifted = 0;
  for (let b = 0; b < 256; b++) {
    if (!printable.includes(b)) decoding.set(String.fromCodePoint(256 + shifted++), b);
  }
  return decoding;
}

/** GPT-2's split pattern, used when a ByteLevel pre-tokenizer splits on its own. */
const GPT2_SPLIT_PATTERN = String.raw`'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`;

const preTokenizerSchema: z.ZodType<PreTokenizer> = z.lazy(() =>
  z.looseObject({
    type: z.string(),
    pattern: z.looseObject({ Regex: z.string().optional(), String: z.string().optional() }).optional(),
    use_regex: z.boolean().optional(),
    pretokenizers: z.array(preTokenizerSchema).optional(),
  }),
);
interface PreTokenizer {
  type: string;
  pattern?: { Regex?: string | undefined; String?: string | undefined } | undefined;
  use_regex?: boolean | undefined;
  pretokenizers?: PreTokenizer[] | undefined;
}

const tokenizerJsonSchema = z.looseObject({
  added_tokens: z.array(z.looseObject({ id: z.number().int(), content: z.string() })).default([]),
  normalizer: z.looseObject({ type: z.string() }).nullable().optional(),
  pre_tokenizer: preTokenizerSchema.nullable(),
  model: z.looseObject({
    type: z.literal("BPE"),
    vocab: z.record(z.string(), z.number().int().nonnegative()),
    merges: z.array(z.union([z.string(), z.tuple([z.string(), z.string()])])),
  }),
});

/** Thrown when a tokenizer.json is not a byte-level BPE this fast path reproduces exactly. */
export class UnsupportedTokenizerError extends Error {}

/**
 * A byte-level BPE tokenizer (Llama-3, Qwen2, GPT-2 style tokenizer.json) run by tiktoken's
 * WASM core. tiktoken merges by rank; it reproduces Hugging Face's merge order exactly when
 * merge results never go down in id as the merge list goes on, which is checked at load time.
 */
export function loadByteLevelBpe(name: string, tokenizerJson: unknown, boundaryTokens: { bos?: string; eos?: string } = {}): Tokenizer {
  const parsed = tokenizerJsonSchema.safeParse(tokenizerJson);
  if (!parsed.success) throw new UnsupportedTokenizerError(`not a BPE tokenizer.json: ${parsed.error.issues[0]?.message}`);
  const json = parsed.data;
  const normalizer = json.normalizer?.type;
  if (normalizer !== undefined && normalizer !== "NFC") throw new UnsupportedTokenizerError(`normalizer ${normalizer} is not supported (only NFC)`);
  const pattern = splitPattern(json.pre_tokenizer);
  checkMergeOrder(json.model.vocab, json.model.merges);
  const { ranks, byteLengths } = encodeRanks(json.model.vocab);
  const specialTokens: Record<string, number> = {};
  for (const token of json.added_tokens) specialTokens[token.content] = token.id;
  const bos = boundaryTokens.bos === undefined ? undefined : specialTokens[boundaryTokens.bos];
  const eos = boundaryTokens.eos === undefined ? undefined : specialTokens[boundaryTokens.eos];
  return tiktokenTokenizer({
    name,
    ranks,
    tokenByteLengths: withSpecialTokenLengths(byteLengths, specialTokens),
    specialTokens,
    pattern,
    normalization: normalizer === "NFC" ? "NFC" : "none",
    ...(bos === undefined ? {} : { bos }),
    ...(eos === undefined ? {} : { eos }),
  });
}

function splitPattern(preTokenizer: PreTokenizer | null): string {
  if (!preTokenizer) throw new UnsupportedTokenizerError("tokenizer.json has no pre-tokenizer");
  const steps = preTokenizer.type === "Sequence" ? (preTokenizer.pretokenizers ?? []) : [preTokenizer];
  const byteLevel = steps.find((step) => step.type === "ByteLevel");
  if (!byteLevel) throw new UnsupportedTokenizerError("pre-tokenizer is not byte-level");
  const splits = steps.filter((step) => step.type === "Split");
  if (splits.length > 1) throw new UnsupportedTokenizerError("more than one Split pre-tokenizer");
  const regex = splits[0]?.pattern?.Regex;
  if (regex && byteLevel.use_regex !== true) return regex;
  if (!regex && byteLevel.use_regex !== false) return GPT2_SPLIT_PATTERN;
  throw new UnsupportedTokenizerError("unsupported combination of Split and ByteLevel pre-tokenizers");
}

function checkMergeOrder(vocab: Record<string, number>, merges: Array<string | [string, string]>): void {
  let previous = -1;
  for (const merge of merges) {
    const [left, right] = typeof merge === "string" ? splitMerge(merge) : merge;
    const id = vocab[left + right];
    if (id === undefined || id < previous) {
      throw new UnsupportedTokenizerError(`merge "${left} ${right}" does not follow vocabulary order`);
    }
    previous = id;
  }
}

function splitMerge(merge: string): [string, string] {
  const space = merge.indexOf(" ", 1);
  return [merge.slice(0, space), merge.slice(space + 1)];
}

/** tiktoken's rank file: one "base64(bytes) rank" line per vocabulary entry, and byte lengths. */
function encodeRanks(vocab: Record<string, number>): { ranks: string; byteLengths: number[] } {
  const decoding = byteLevelDecoding();
  const lines: string[] = [];
  const byteLengths: number[] = [];
  for (const [token, id] of Object.entries(vocab)) {
    const bytes = new Uint8Array(token.length);
    let length = 0;
    for (const character of token) {
      const byte = decoding.get(character);
      if (byte === undefined) throw new UnsupportedTokenizerError(`vocabulary entry ${JSON.stringify(token)} is not byte-level`);
      bytes[length++] = byte;
    }
    lines.push(`${Buffer.from(bytes.subarray(0, length)).toString("base64")} ${id}`);
    byteLengths[id] = length;
  }
  return { ranks: lines.join("\n"), byteLengths };
}
