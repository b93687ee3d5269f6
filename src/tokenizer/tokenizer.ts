/**
 * What packing and verification need from a tokenizer. Text that looks like a special token
 * (`<|eot_id|>`) is always encoded as plain text: corpus text must never inject control tokens.
 */
export interface Tokenizer {
  /** Preset name or the tokenizer.json path it was loaded from. */
  readonly name: string;
  /** Token ids of `text`, no special tokens added. `text` must already be normalized. */
  encode(text: string): Uint32Array;
  /** Number of tokens `encode(text)` returns. */
  count(text: string): number;
  /** UTF-8 bytes that `ids` stand for (may end inside a multi-byte character). */
  decodeBytes(ids: Uint32Array): Uint8Array;
  /** UTF-8 byte length of each token id (0 for ids the vocabulary lacks). */
  readonly tokenByteLengths: Uint16Array;
  /** The tokenizer's text normalization (Unicode NFC for Qwen, none for Llama-3). */
  normalize(text: string): string;
  /** Beginning/end-of-sequence ids for sample boundary policies, when the tokenizer has them. */
  readonly specialTokens: { bos?: number; eos?: number };
  /**
   * True when the split pattern is one whose pre-tokens never cross "non-space, space, letter"
   * or "newline, non-space" positions, so text can be cut there and tokenized in parts.
   */
  readonly splitsAtWordStarts: boolean;
  /** Releases native/WASM memory. */
  free(): void;
}
