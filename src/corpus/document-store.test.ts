import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { InputError } from "../core/errors.js";
import type { CorpusDocument, DocumentSource } from "../core/records.js";
import { displayPathOf, resolveCorpusFiles } from "./corpus-files.js";
import { DocumentStore } from "./document-store.js";
import { defaultCorpusReadOptions, readCorpus } from "./read-corpus.js";
import { fixtureFile, zstdMissing } from "../test-support/fixtures.js";

const fixturePath = (name: string) => fixtureFile("corpus", name);

const zstdAvailable = zstdMissing() === false;

/** A mixed corpus: every format, many lines, some blank lines and some multi-byte text. */
async function makeCorpus(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), "litelong-document-store-"));
  const lines = Array.from({ length: 300 }, (_, index) =>
    index % 7 === 3 ? "" : JSON.stringify({ id: `line-${index}`, text: `Document ${index}: ${"grüße ".repeat(index % 40)}end` }),
  );
  const jsonl = lines.join("\r\n");
  await writeFile(join(directory, "plain.jsonl"), jsonl);
  await writeFile(join(directory, "packed.jsonl.gz"), gzipSync(jsonl.replaceAll("line-", "gz-")));
  if (zstdAvailable) {
    await writeFile(join(directory, "zstd-source.txt.tmp"), jsonl.replaceAll("line-", "zst-"));
    execFileSync("zstd", ["-q", join(directory, "zstd-source.txt.tmp"), "-o", join(directory, "packed.jsonl.zst")]);
  }
  await writeFile(join(directory, "page.html"), "<p>Hello &lt;world&gt;</p><p>again</p>");
  await writeFile(join(directory, "note.txt"), "A plain note.\n");
  return directory;
}

async function readEverything(specs: string[]): Promise<CorpusDocument[]> {
  const documents: CorpusDocument[] = [];
  for await (const document of readCorpus(await resolveCorpusFiles(specs), defaultCorpusReadOptions)) documents.push(document);
  return documents;
}

/** A fixed shuffle so pointers arrive out of file order, with duplicates. */
function scrambled<T>(items: T[]): T[] {
  const result = items.filter((_, index) => index % 3 !== 1);
  result.reverse();
  return [...result, ...items.slice(0, 5)];
}

test("every document read back through its pointer equals what the reader produced", async () => {
  const directory = await makeCorpus();
  const documents = await readEverything([directory, fixturePath("documents.parquet")]);
  // 257 records in each JSONL variant (43 of 300 lines are blank), two text files, ten parquet rows.
  assert.equal(documents.length, 257 * (zstdAvailable ? 3 : 2) + 2 + 10);
  const wanted = scrambled(documents);
  const texts = await new DocumentStore({ textField: "text" }).readTexts(wanted.map((document) => document.source));
  assert.deepEqual(texts, wanted.map((document) => document.text));
});

test("an empty request reads nothing", async () => {
  assert.deepEqual(await new DocumentStore({ textField: "text" }).readTexts([]), []);
});

test("compressed files: only wanted lines, one pass, early lines only", async () => {
  const directory = await makeCorpus();
  const documents = await readEverything([join(directory, "packed.jsonl.gz")]);
  const texts = await new DocumentStore({ textField: "text" }).readTexts([documents[2]!.source, documents[0]!.source]);
  assert.deepEqual(texts, ["Document 2: grüße grüße end", "Document 0: end"]);
});

test("parquet: rows from several row groups, in the order asked", async () => {
  const file = fixturePath("documents.parquet");
  const sources: DocumentSource[] = [9, 0, 5, 4, 5].map((row) => ({ file, locator: { kind: "row", row } }));
  const texts = await new DocumentStore({ textField: "text" }).readTexts(sources);
  assert.deepEqual(
    texts,
    [9, 0, 5, 4, 5].map((row) => `Document ${row} is about topic ${row % 3}; naïve café ✓.`),
  );
});

test("a pointer past the end of its file is an InputError", async () => {
  const store = new DocumentStore({ textField: "text" });
  const parquet = fixturePath("documents.parquet");
  await assert.rejects(
    store.readTexts([{ file: parquet, locator: { kind: "row", row: 10 } }]),
    new InputError({ file: displayPathOf(parquet), row: 10 }, "no such row (the file has 10); was it changed?"),
  );
  const directory = await makeCorpus();
  const gz = join(directory, "packed.jsonl.gz");
  await assert.rejects(
    store.readTexts([{ file: gz, locator: { kind: "line", line: 1000, byteOffset: 0, byteLength: 5 } }]),
    new InputError({ file: displayPathOf(gz), line: 1000 }, "no such line; was the file changed?"),
  );
  const plain = join(directory, "plain.jsonl");
  await assert.rejects(
    store.readTexts([{ file: plain, locator: { kind: "line", line: 2, byteOffset: 100_000, byteLength: 10 } }]),
    new InputError({ file: displayPathOf(plain), line: 2 }, "the file is shorter than when it was read; was it changed?"),
  );
});

test("a pointer that lands on something that is not a record is an InputError", async () => {
  const directory = await makeCorpus();
  const plain = join(directory, "plain.jsonl");
  await assert.rejects(
    new DocumentStore({ textField: "text" }).readTexts([{ file: plain, locator: { kind: "line", line: 1, byteOffset: 1, byteLength: 10 } }]),
    (error: unknown) =>
      error instanceof InputError && error.message.startsWith(`${displayPathOf(plain)}:1: malformed JSON (`) && error.message.endsWith("; was the file changed?"),
  );
});

test("a pointer of the wrong kind for its file is an InputError", async () => {
  const parquet = fixturePath("documents.parquet");
  await assert.rejects(
    new DocumentStore({ textField: "text" }).readTexts([{ file: parquet, locator: { kind: "file" } }]),
    new InputError({ file: displayPathOf(parquet) }, "a 'file' pointer does not fit a parquet file; expected 'row'"),
  );
});
