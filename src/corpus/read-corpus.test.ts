import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { InputError } from "../core/errors.js";
import type { CorpusDocument } from "../core/records.js";
import { displayPathOf, type CorpusFile, type CorpusFormat } from "./corpus-files.js";
import { defaultCorpusReadOptions, readCorpus, type BadRecord, type CorpusReadOptions } from "./read-corpus.js";
import { fixtureFile, zstdMissing } from "../test-support/fixtures.js";

const fixturePath = (name: string) => fixtureFile("corpus", name);


async function corpusFile(path: string, format: CorpusFormat, name = basename(path)): Promise<CorpusFile> {
  const stats = await stat(path);
  return { path, name, format, size: stats.size, mtimeMs: stats.mtimeMs };
}

async function writeCorpusFile(name: string, content: string | Uint8Array, format: CorpusFormat): Promise<CorpusFile> {
  const directory = await mkdtemp(join(tmpdir(), "litelong-read-corpus-"));
  const path = join(directory, name);
  await writeFile(path, content);
  return corpusFile(path, format);
}

async function readAll(files: CorpusFile[], options: Partial<CorpusReadOptions> = {}): Promise<CorpusDocument[]> {
  const documents: CorpusDocument[] = [];
  for await (const document of readCorpus(files, { ...defaultCorpusReadOptions, ...options })) documents.push(document);
  return documents;
}

async function readSkipping(files: CorpusFile[], options: Partial<CorpusReadOptions> = {}) {
  const bad: BadRecord[] = [];
  const documents = await readAll(files, { ...options, onBadRecord: "skip", reportBadRecord: (record) => bad.push(record) });
  return { documents, bad };
}

/** CRLF line, blank line, line without id, numeric id, last line without a newline. */
const SAMPLE_JSONL = '{"id":"first","text":"Hello world"}\r\n\n{"text":"no id here"}\n  \n{"id":7,"text":"number id","extra":[1]}';

const SAMPLE_DOCUMENTS = (file: CorpusFile): CorpusDocument[] => [
  { id: "first", text: "Hello world", source: { file: file.path, locator: { kind: "line", line: 1, byteOffset: 0, byteLength: 35 } } },
  { id: `${file.name}:3`, text: "no id here", source: { file: file.path, locator: { kind: "line", line: 3, byteOffset: 38, byteLength: 21 } } },
  { id: "7", text: "number id", source: { file: file.path, locator: { kind: "line", line: 5, byteOffset: 63, byteLength: 39 } } },
];

test("JSONL: ids, derived ids, CRLF, blank lines and a last line without newline", async () => {
  const file = await writeCorpusFile("a.jsonl", SAMPLE_JSONL, "jsonl");
  assert.deepEqual(await readAll([file]), SAMPLE_DOCUMENTS(file));
});

test("JSONL: a byte-order mark is skipped but counted in offsets", async () => {
  const file = await writeCorpusFile("bom.jsonl", '\ufeff{"text":"é"}\n{"text":"b"}\n', "jsonl");
  assert.deepEqual(await readAll([file]), [
    { id: "bom.jsonl:1", text: "é", source: { file: file.path, locator: { kind: "line", line: 1, byteOffset: 3, byteLength: 13 } } },
    { id: "bom.jsonl:2", text: "b", source: { file: file.path, locator: { kind: "line", line: 2, byteOffset: 17, byteLength: 12 } } },
  ]);
});

test("JSONL: custom text and id fields", async () => {
  const file = await writeCorpusFile("c.jsonl", '{"doc_id":"x1","content":"body","text":5}\n', "jsonl");
  const documents = await readAll([file], { textField: "content", idField: "doc_id" });
  assert.deepEqual(documents.map((document) => [document.id, document.text]), [["x1", "body"]]);
});

test("JSONL.gz: offsets are in the decompressed stream; progress counts compressed bytes", async () => {
  const compressed = gzipSync(SAMPLE_JSONL);
  const file = await writeCorpusFile("a.jsonl.gz", compressed, "jsonl.gz");
  const progress: number[] = [];
  const documents = await readAll([file], { onBytesRead: (_file, bytes) => progress.push(bytes) });
  assert.deepEqual(documents, SAMPLE_DOCUMENTS(file));
  assert.deepEqual(progress, [compressed.length]);
});

test("JSONL.zst: read by streaming decompression", { skip: zstdMissing() }, async () => {
  const plain = await writeCorpusFile("a.jsonl", SAMPLE_JSONL, "jsonl");
  const path = join(dirname(plain.path), "a.jsonl.zst");
  execFileSync("zstd", ["-q", plain.path, "-o", path]);
  const file = await corpusFile(path, "jsonl.zst");
  assert.deepEqual(await readAll([file]), SAMPLE_DOCUMENTS(file));
});

test("JSONL.zst: a truncated file is an InputError naming it", { skip: zstdMissing() }, async () => {
  const lines = Array.from({ length: 2000 }, (_, index) => JSON.stringify({ text: `document ${index} ${"words ".repeat(index % 50)}` }));
  const plain = await writeCorpusFile("big.jsonl", lines.join("\n"), "jsonl");
  const compressed = execFileSync("zstd", ["-q", "-c", plain.path]);
  const file = await writeCorpusFile("big.jsonl.zst", compressed.subarray(0, compressed.length - 100), "jsonl.zst");
  await assert.rejects(readAll([file]), new InputError({ file: displayPathOf(file.path) }, "truncated or corrupt zstd data (unexpected EOF)"));
});

test("JSONL.gz: truncated and corrupt files are InputErrors naming them, even when skipping bad records", async () => {
  const compressed = gzipSync(SAMPLE_JSONL);
  const truncated = await writeCorpusFile("t.jsonl.gz", compressed.subarray(0, compressed.length - 10), "jsonl.gz");
  await assert.rejects(
    readSkipping([truncated]),
    new InputError({ file: displayPathOf(truncated.path) }, "truncated or corrupt gzip data (unexpected end of file)"),
  );
  const garbage = await writeCorpusFile("g.jsonl.gz", "this is not gzip", "jsonl.gz");
  await assert.rejects(readAll([garbage]), new InputError({ file: displayPathOf(garbage.path) }, "truncated or corrupt gzip data (incorrect header check)"));
});

test("every bad-record reason is reported with its exact message when skipping", async () => {
  const lines = [
    '{"text":"ok"}',
    '{"text": ',
    "[1,2]",
    '{"id":"x"}',
    '{"text":5}',
    '{"text":"  \\t "}',
    Buffer.concat([Buffer.from('{"text":"'), Buffer.from([0xff]), Buffer.from('"}')]).toString("latin1"),
    '{"text":"fine","id":{"a":1}}',
    '{"text":"fine","id":""}',
    '{"text":null}',
    '"just a string"',
  ];
  const file = await writeCorpusFile("bad.jsonl", Buffer.from(lines.join("\n"), "latin1"), "jsonl");
  const label = displayPathOf(file.path);
  const { documents, bad } = await readSkipping([file]);
  assert.deepEqual(documents.map((document) => document.id), ["bad.jsonl:1"]);
  const jsonError = (() => {
    try {
      JSON.parse('{"text": ');
    } catch (error) {
      return (error as Error).message;
    }
  })();
  assert.deepEqual(bad, [
    { reason: "malformed-json", location: { file: label, line: 2 }, message: `${label}:2: malformed JSON (${jsonError}); expected one JSON object per line` },
    { reason: "not-an-object", location: { file: label, line: 3 }, message: `${label}:3: got an array; expected a JSON object` },
    { reason: "missing-text", location: { file: label, line: 4, field: "text" }, message: `${label}:4 field 'text': missing; expected a string` },
    { reason: "non-string-text", location: { file: label, line: 5, field: "text" }, message: `${label}:5 field 'text': got a number; expected a string` },
    { reason: "empty-text", location: { file: label, line: 6, field: "text" }, message: `${label}:6 field 'text': empty or whitespace-only; expected non-empty text` },
    { reason: "invalid-utf8", location: { file: label, line: 7 }, message: `${label}:7: invalid UTF-8; expected UTF-8 text` },
    { reason: "bad-id", location: { file: label, line: 8, field: "id" }, message: `${label}:8 field 'id': got an object; expected a non-empty string or a number` },
    { reason: "bad-id", location: { file: label, line: 9, field: "id" }, message: `${label}:9 field 'id': got an empty string; expected a non-empty string or a number` },
    { reason: "missing-text", location: { file: label, line: 10, field: "text" }, message: `${label}:10 field 'text': null; expected a string` },
    { reason: "not-an-object", location: { file: label, line: 11 }, message: `${label}:11: got a string; expected a JSON object` },
  ]);
});

test("onBadRecord 'fail' throws an InputError at the first bad record", async () => {
  const file = await writeCorpusFile("f.jsonl", '{"text":"ok"}\n{"id":"x"}\n{"text":5}\n', "jsonl");
  const label = displayPathOf(file.path);
  await assert.rejects(readAll([file]), new InputError({ file: label, line: 2, field: "text" }, "missing; expected a string"));
});

test("text files: one document each, id without extension, HTML reduced to text", async () => {
  const directory = await mkdtemp(join(tmpdir(), "litelong-text-"));
  await writeFile(join(directory, "CACM-0001.html"), "<html><head><title>Preliminary Report</title></head><body><pre>\nInternational &amp; Algebraic\n</pre></body></html>");
  await writeFile(join(directory, "notes.md"), "\ufeff# Notes\n\nPlain *markdown* stays as is.\n");
  const html = await corpusFile(join(directory, "CACM-0001.html"), "text");
  const markdown = await corpusFile(join(directory, "notes.md"), "text", "sub/notes.md");
  assert.deepEqual(await readAll([html, markdown]), [
    { id: "CACM-0001", text: "Preliminary Report\n\nInternational & Algebraic", source: { file: html.path, locator: { kind: "file" } } },
    { id: "sub/notes", text: "# Notes\n\nPlain *markdown* stays as is.\n", source: { file: markdown.path, locator: { kind: "file" } } },
  ]);
});

test("text files: empty and invalid UTF-8 files are bad records", async () => {
  const empty = await writeCorpusFile("empty.html", "<p> &nbsp; </p>", "text");
  const binary = await writeCorpusFile("binary.txt", Buffer.from([0x61, 0xc3, 0x28]), "text");
  const { documents, bad } = await readSkipping([empty, binary]);
  assert.deepEqual(documents, []);
  const emptyLabel = displayPathOf(empty.path);
  const binaryLabel = displayPathOf(binary.path);
  assert.deepEqual(bad, [
    { reason: "empty-text", location: { file: emptyLabel }, message: `${emptyLabel}: empty or whitespace-only; expected non-empty text` },
    { reason: "invalid-utf8", location: { file: binaryLabel }, message: `${binaryLabel}: invalid UTF-8; expected UTF-8 text` },
  ]);
});

test("parquet: row groups in order, id column, derived id for a null id, progress reaches the file size", async () => {
  const file = await corpusFile(fixturePath("documents.parquet"), "parquet");
  const progress: number[] = [];
  const documents = await readAll([file], { onBytesRead: (_file, bytes) => progress.push(bytes) });
  assert.equal(documents.length, 10);
  assert.deepEqual(documents[0], {
    id: "doc-0",
    text: "Document 0 is about topic 0; naïve café ✓.",
    source: { file: file.path, locator: { kind: "row", row: 0 } },
  });
  assert.deepEqual(
    documents.map((document) => document.id),
    ["doc-0", "doc-1", "doc-2", "doc-3", "doc-4", "documents.parquet#5", "doc-6", "doc-7", "doc-8", "doc-9"],
  );
  assert.deepEqual(
    documents.map((document) => (document.source.locator.kind === "row" ? document.source.locator.row : -1)),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  assert.equal(documents[9]!.text, "Document 9 is about topic 0; naïve café ✓.");
  assert.equal(progress.length, 4);
  assert.equal(progress[3], file.size);
  assert.ok(progress[0]! < progress[1]! && progress[1]! < progress[2]! && progress[2]! < file.size);
});

test("parquet: INT64 ids, null and blank texts are bad rows (GZIP pages)", async () => {
  const file = await corpusFile(fixturePath("bad-rows.parquet"), "parquet");
  const label = displayPathOf(file.path);
  const { documents, bad } = await readSkipping([file]);
  assert.deepEqual(
    documents.map((document) => [document.id, document.text]),
    [["100", "alpha"], ["bad-rows.parquet#1", "beta"], ["104", "epsilon"]],
  );
  assert.deepEqual(bad, [
    { reason: "missing-text", location: { file: label, row: 2, field: "text" }, message: `${label} row 2 field 'text': null; expected a string` },
    { reason: "empty-text", location: { file: label, row: 3, field: "text" }, message: `${label} row 3 field 'text': empty or whitespace-only; expected non-empty text` },
  ]);
});

test("parquet: a missing text column is an InputError naming file and field", async () => {
  const file = await corpusFile(fixturePath("documents.parquet"), "parquet");
  await assert.rejects(
    readAll([file], { textField: "body" }),
    new InputError({ file: displayPathOf(file.path), field: "body" }, "no such column; expected a string column (columns: id, text, url)"),
  );
});

test("parquet: a file that is not parquet is an InputError naming it", async () => {
  const file = await writeCorpusFile("fake.parquet", "just some text, long enough to have a footer", "parquet");
  await assert.rejects(readAll([file]), new InputError({ file: displayPathOf(file.path) }, "not a parquet file (parquet file invalid (footer != PAR1))"));
  const tiny = await writeCorpusFile("tiny.parquet", "PAR1", "parquet");
  await assert.rejects(readAll([tiny]), (error: unknown) => error instanceof InputError && error.message.startsWith(`${displayPathOf(tiny.path)}: not a parquet file (`));
});

test("files are read in the order given", async () => {
  const first = await writeCorpusFile("z.jsonl", '{"text":"from z"}\n', "jsonl");
  const second = await writeCorpusFile("a.txt", "from a", "text");
  assert.deepEqual((await readAll([first, second])).map((document) => document.text), ["from z", "from a"]);
});

test("stopping early closes the file and leaves later files unread", async () => {
  const file = await writeCorpusFile("many.jsonl.gz", gzipSync(Array.from({ length: 50_000 }, (_, index) => `{"text":"t${index}"}`).join("\n")), "jsonl.gz");
  const missing: CorpusFile = { path: join(tmpdir(), "litelong-never-read.jsonl"), name: "never.jsonl", format: "jsonl", size: 0, mtimeMs: 0 };
  const seen: string[] = [];
  for await (const document of readCorpus([file, missing], defaultCorpusReadOptions)) {
    seen.push(document.text);
    if (seen.length === 2) break;
  }
  assert.deepEqual(seen, ["t0", "t1"]);
});

test("a corpus file that vanished is an InputError naming it", async () => {
  const path = join(tmpdir(), "litelong-vanished.jsonl");
  const file: CorpusFile = { path, name: "vanished.jsonl", format: "jsonl", size: 0, mtimeMs: 0 };
  await assert.rejects(readAll([file]), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.message, `${displayPathOf(path)}: cannot read: ENOENT: no such file or directory, open '${path}'`);
    return true;
  });
});
