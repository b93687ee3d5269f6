/**
 * What packing and verification need from a tokenizer. Text that looks like a special token
 * (`<|eot_id|>`) is always encoded as plain text: corpus text must never inject control tokens.
 */
export interface Tokenizer {
  /** Preset name or the tokenizer.json path it was loaded from. */
  readonly name: string;
  /** Token ids of `text`, no special tokens added. */
  encode(text: string): Uint32Array;
  /** Number of tokens `encode(text)` returns. */
  count(text: string): number;
  /** UTF-8 bytes that `ids` stand for (may end inside a multi-byte character). */
  decodeBytes(ids: Uint32Array): Uint8Array;
  /** Releases native/WASM memory. */
  free(): void;
}
