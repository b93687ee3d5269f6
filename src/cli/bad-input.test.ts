import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";

import { fixtureFile, runCli, temporaryDirectory, zstdMissing } from "../test-support/fixtures.js";

const directory = temporaryDirectory("litelong-bad-input-");
const good = join(directory, "good.jsonl");
writeFileSync(good, '{"id":"a","text":"hello world"}\n{"id":"b","text":"other words"}\n');
/** A run through retrieve: every failing command below must leave it byte-identical. */
const completed = join(directory, "completed");
/** The subjects of the completed run: a topics command without them would redo the taxonomy stage, as asked. */
const SUBJECTS = ["--subjects", "COMPUTERS / Operating*"];
for (const [command, ...flags] of [["index", "--corpus", good], ["topics", ...SUBJECTS], ["retrieve", "--match", "any"]]) {
  const result = runCli([command!, "--out", completed, ...flags]);
  assert.equal(result.status, 0, result.stderr);
}

/** Every file of a directory tree with its bytes, to show a failed command changed nothing. */
function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(path, createHash("sha256").update(readFileSync(path)).digest("hex"));
    }
  };
  walk(root);
  return files;
}
const before = snapshot(completed);

function errorLines(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line.startsWith("litelong: ") || line.startsWith("  - "));
}

interface RecordRow { kind: string; reason: string; line: string; message: string }
const RECORD_ROWS: RecordRow[] = [
  { kind: "malformed", reason: "malformed-json", line: "{bad json", message: "malformed JSON (Expected property name or '}' in JSON at position 1); expected one JSON object per line" },
  { kind: "utf8", reason: "invalid-utf8", line: '{"id":"b","text":"x\xff\xfey"}', message: "invalid UTF-8; expected UTF-8 text" },
  { kind: "missing", reason: "missing-text", line: '{"id":"b"}', message: "field 'text': missing; expected a string" },
  { kind: "non-string", reason: "non-string-text", line: '{"id":"b","text":42}', message: "field 'text': got a number; expected a string" },
  { kind: "empty", reason: "empty-text", line: '{"id":"b","text":"   "}', message: "field 'text': empty or whitespace-only; expected non-empty text" },
  { kind: "not-an-object", reason: "not-an-object", line: '["b","text"]', message: "got an array; expected a JSON object" },
  { kind: "bad-id", reason: "bad-id", line: '{"id":{"n":1},"text":"words"}', message: "field 'id': got an object; expected a non-empty string or a number" },
];

for (const row of RECORD_ROWS) {
  test(`bad record: ${row.kind}`, () => {
    const file = join(directory, `${row.kind}.jsonl`);
    const bytes = Buffer.concat([Buffer.from('{"id":"a","text":"hello world"}\n'), Buffer.from(row.line, "latin1"), Buffer.from("\n")]);
    writeFileSync(file, bytes);
    const separator = row.message.startsWith("field") ? " " : ": ";
    const located = `${file}:2${separator}${row.message}`;

    const failed = runCli(["index", "--corpus", file, "--out", completed, "--force", "--on-bad-record", "fail"]);
    assert.equal(failed.status, 1);
    assert.deepEqual(errorLines(failed.stderr), [`litelong: error: ${located}`]);
    assert.deepEqual(snapshot(completed), before, "the completed run is left intact");

    const out = join(directory, `skip-${row.kind}`);
    const skipped = runCli(["index", "--corpus", file, "--out", out]);
    assert.equal(skipped.status, 0, skipped.stderr);
    assert.deepEqual(errorLines(skipped.stderr), [`litelong: skipped bad record: ${located}`]);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { stages: { index: { counts: Record<string, number> } } };
    assert.equal(manifest.stages.index.counts.documents, 1);
    assert.equal(manifest.stages.index.counts[`skipped.${row.reason}`], 1);
  });
}

test("a 100 MB single-document row is skipped and counted (bounded memory), or fatal under --on-bad-record fail", () => {
  const file = join(directory, "huge.jsonl");
  const descriptor = openSync(file, "w");
  writeSync(descriptor, '{"id":"a","text":"hello world"}\n{"id":"huge","text":"');
  const block = Buffer.alloc(1024 * 1024, "lorem ipsum ");
  for (let megabyte = 0; megabyte < 100; megabyte++) writeSync(descriptor, block);
  writeSync(descriptor, '"}\n{"id":"b","text":"other words"}\n');
  closeSync(descriptor);
  const message = `${file}:2: ${100 * 1024 * 1024 + 23} bytes; expected at most 16777216 bytes per document (one that large is usually several documents run together: split it)`;

  const out = join(directory, "skip-huge");
  const skipped = runCli(["index", "--corpus", file, "--out", out]);
  assert.equal(skipped.status, 0, skipped.stderr);
  assert.deepEqual(errorLines(skipped.stderr), [`litelong: skipped bad record: ${message}`]);
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { stages: { index: { counts: Record<string, number> } } };
  assert.equal(manifest.stages.index.counts.documents, 2);
  assert.equal(manifest.stages.index.counts["skipped.too-large"], 1);

  const failed = runCli(["index", "--corpus", file, "--out", completed, "--on-bad-record", "fail"]);
  assert.equal(failed.status, 1);
  assert.deepEqual(errorLines(failed.stderr), [`litelong: error: ${message}`]);
  assert.deepEqual(snapshot(completed), before, "the completed run is left intact");
  rmSync(file);
});

interface FatalRow { name: string; setup: () => string[]; status: number; expected: () => string[]; skip?: string | false }

/** Writes `bytes` to `name` in the test directory and returns its path. */
function inputFile(name: string, bytes: string | Uint8Array): string {
  const path = join(directory, name);
  writeFileSync(path, bytes);
  return path;
}
const at = (name: string) => join(directory, name);
const JSONL_BODY = '{"id":"a","text":"hello world"}\n'.repeat(2000);
/** Flips bytes in the middle of a compressed stream so its header still looks right. */
function corruptMiddle(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  for (let index = 20; index < copy.length - 8; index++) copy[index]! ^= 0x5a;
  return copy;
}
const zstd = () => execFileSync("zstd", ["-q", "-c"], { input: JSONL_BODY });
const parquetFixture = (name: string) => readFileSync(fixtureFile("corpus", name));
const PRESETS = "llama3, qwen3, cl100k_base, o200k_base";
const ZSTD_ROW = { skip: zstdMissing(), status: 1 };

const FATAL_ROWS: FatalRow[] = [
  { ...ZSTD_ROW, name: "truncated .zst", setup: () => ["index", "--corpus", inputFile("truncated.jsonl.zst", zstd().subarray(0, 30))], expected: () => [`litelong: error: ${at("truncated.jsonl.zst")}: truncated or corrupt zstd data (unexpected EOF)`] },
  { ...ZSTD_ROW, name: "corrupt .zst", setup: () => ["index", "--corpus", inputFile("corrupt.jsonl.zst", corruptMiddle(zstd()))], expected: () => [`litelong: error: ${at("corrupt.jsonl.zst")}: truncated or corrupt zstd data (invalid zstd data)`] },
  {
    name: "truncated .gz",
    setup: () => { const whole = gzipSync(JSONL_BODY); return ["index", "--corpus", inputFile("truncated.jsonl.gz", whole.subarray(0, whole.length - 40))]; },
    status: 1,
    expected: () => [`litelong: error: ${at("truncated.jsonl.gz")}: truncated or corrupt gzip data (unexpected end of file)`],
  },
  {
    name: "corrupt .gz",
    setup: () => ["index", "--corpus", inputFile("corrupt.jsonl.gz", corruptMiddle(gzipSync(JSONL_BODY)))],
    status: 1,
    expected: () => [`litelong: error: ${at("corrupt.jsonl.gz")}: truncated or corrupt gzip data (invalid bit length repeat)`],
  },
  {
    name: "parquet file that is not parquet",
    setup: () => ["index", "--corpus", inputFile("fake.parquet", "not parquet at all\n")],
    status: 1,
    expected: () => [`litelong: error: ${at("fake.parquet")}: not a parquet file (parquet file invalid (footer != PAR1))`],
  },
  {
    name: "truncated parquet (footer cut off)",
    setup: () => { const whole = parquetFixture("documents.parquet"); return ["index", "--corpus", inputFile("truncated.parquet", whole.subarray(0, whole.length - 30))]; },
    status: 1,
    expected: () => [`litelong: error: ${at("truncated.parquet")}: not a parquet file (parquet file invalid (footer != PAR1))`],
  },
  {
    name: "corrupt parquet pages (magic and footer intact)",
    setup: () => { const bytes = Buffer.from(parquetFixture("documents.parquet")); bytes.fill(0xab, 8, 200); return ["index", "--corpus", inputFile("corrupt.parquet", bytes)]; },
    status: 1,
    expected: () => [`litelong: error: ${at("corrupt.parquet")}: corrupt parquet data (thrift unhandled type: 11)`],
  },
  {
    name: "wrongly-typed parquet text column (INT64), --on-bad-record fail",
    setup: () => ["index", "--corpus", inputFile("typed.parquet", parquetFixture("bad-rows.parquet")), "--text-field", "id", "--on-bad-record", "fail"],
    status: 1,
    expected: () => [`litelong: error: ${at("typed.parquet")} row 0 field 'id': got a number; expected a string`],
  },
  {
    name: "parquet without the text column",
    setup: () => ["index", "--corpus", inputFile("columns.parquet", parquetFixture("documents.parquet")), "--text-field", "body"],
    status: 1,
    expected: () => [`litelong: error: ${at("columns.parquet")} field 'body': no such column; expected a string column (columns: id, text, url)`],
  },
  {
    name: "text file with invalid UTF-8, --on-bad-record fail",
    setup: () => { mkdirSync(at("texts"), { recursive: true }); inputFile("texts/a.txt", Buffer.from([0x6f, 0x6b, 0x20, 0xff, 0xfe])); return ["index", "--corpus", at("texts"), "--on-bad-record", "fail"]; },
    status: 1,
    expected: () => [`litelong: error: ${at("texts/a.txt")}: invalid UTF-8; expected UTF-8 text`],
  },
  { name: "empty corpus file", setup: () => ["index", "--corpus", inputFile("empty0.jsonl", "")], status: 1, expected: () => [`litelong: error: ${at("empty0.jsonl")}: no usable documents in the corpus`] },
  {
    name: "corpus of empty documents only (skipped, then nothing left)",
    setup: () => ["index", "--corpus", inputFile("blank-texts.jsonl", '{"text":""}\n{"text":" "}\n')],
    status: 1,
    expected: () => [
      `litelong: skipped bad record: ${at("blank-texts.jsonl")}:1 field 'text': empty or whitespace-only; expected non-empty text`,
      `litelong: skipped bad record: ${at("blank-texts.jsonl")}:2 field 'text': empty or whitespace-only; expected non-empty text`,
      `litelong: error: ${at("blank-texts.jsonl")}: no usable documents in the corpus`,
    ],
  },
  {
    name: "corpus directory with no corpus files",
    setup: () => { mkdirSync(at("empty-folder"), { recursive: true }); return ["index", "--corpus", at("empty-folder")]; },
    status: 1,
    expected: () => [`litelong: error: ${at("empty-folder")}: directory contains no corpus files; expected files ending in .jsonl.gz .ndjson.gz .json.gz .jsonl.zst .ndjson.zst .jsonl .ndjson .parquet .txt .text .md .rst .html .htm`],
  },
  { name: "glob matching nothing", setup: () => ["index", "--corpus", at("nothing/*.jsonl")], status: 1, expected: () => [`litelong: error: ${at("nothing/*.jsonl")}: glob matches no corpus files`] },
  { name: "non-existent corpus path", setup: () => ["index", "--corpus", at("absent.jsonl")], status: 1, expected: () => [`litelong: error: ${at("absent.jsonl")}: no such file or directory`] },
  {
    name: "unknown keys and wrong types in a YAML config",
    setup: () => ["index", "--config", inputFile("bad.yaml", "length: lots\nsamplesPerTopic: -1\ncolour: blue\n"), "--corpus", good],
    status: 2,
    expected: () => [
      "litelong: error: invalid configuration:",
      `  - ${at("bad.yaml")} + flags: length: Invalid input: expected number, received string`,
      `  - ${at("bad.yaml")} + flags: samplesPerTopic: Too small: expected number to be >0`,
      `  - ${at("bad.yaml")} + flags: (root): Unrecognized key: "colour"`,
    ],
  },
  {
    name: "wrong types in a JSON config",
    setup: () => ["index", "--config", inputFile("bad.json", '{"k": true, "formats": "mds"}'), "--corpus", good],
    status: 2,
    expected: () => [
      "litelong: error: invalid configuration:",
      `  - ${at("bad.json")} + flags: k: Invalid input: expected number, received boolean`,
      `  - ${at("bad.json")} + flags: formats: Invalid input: expected array, received string`,
    ],
  },
  {
    name: "malformed YAML config",
    setup: () => ["index", "--config", inputFile("broken.yaml", "a: [\n"), "--corpus", good],
    status: 2,
    expected: () => [`litelong: error: ${at("broken.yaml")}: not valid YAML (Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1:)`],
  },
  { name: "missing config file", setup: () => ["index", "--config", at("nope.yaml"), "--corpus", good], status: 2, expected: () => [`litelong: error: ${at("nope.yaml")}: cannot read the config file (ENOENT)`] },
  { name: "unknown --on-bad-record policy", setup: () => ["index", "--corpus", good, "--on-bad-record", "maybe"], status: 2, expected: () => ['litelong: error: flags: onBadRecord: Invalid option: expected one of "skip"|"fail"'] },
  { name: "non-numeric -k", setup: () => ["retrieve", "-k", "many"], status: 2, expected: () => ["litelong: error: flags: k: Invalid input: expected number, received NaN"] },
  { name: "missing tokenizer file", setup: () => ["pack", "--tokenizer", at("absent-tokenizer.json")], status: 1, expected: () => [`litelong: error: ${at("absent-tokenizer.json")}: no such file; expected a tokenizer.json or a preset (${PRESETS})`] },
  { name: "tokenizer file that is not JSON", setup: () => ["pack", "--tokenizer", inputFile("garbage-tokenizer.json", "garbage\n")], status: 1, expected: () => [`litelong: error: ${at("garbage-tokenizer.json")}: not a JSON tokenizer file`] },
  {
    name: "JSON file that is not a tokenizer",
    setup: () => ["pack", "--tokenizer", inputFile("not-tokenizer.json", '{"not":"a tokenizer"}\n')],
    status: 1,
    expected: () => [`litelong: error: ${at("not-tokenizer.json")}: unsupported tokenizer: not a BPE tokenizer.json: Invalid input: expected object, received undefined; expected a byte-level BPE tokenizer.json`],
  },
  {
    name: "taxonomy CSV of an unknown layout",
    setup: () => ["topics", "--taxonomy", inputFile("taxonomy.csv", "code;label\nX;Y\n"), ...SUBJECTS],
    status: 1,
    expected: () => [`litelong: error: ${at("taxonomy.csv")}: unknown layout: columns "code;label"; expected code,label or the bisac_expanded_final columns top_category,subcategory,subtopic,code,expansion_factor,not`],
  },
  { name: "missing taxonomy file", setup: () => ["topics", "--taxonomy", at("absent.csv"), ...SUBJECTS], status: 1, expected: () => [`litelong: error: ${at("absent.csv")}: no such file; expected bisac or a CSV, JSON, JSONL or parquet taxonomy file`] },
  { name: "empty topics file", setup: () => ["topics", "--topics", inputFile("topics.txt", ""), ...SUBJECTS], status: 1, expected: () => [`litelong: error: ${at("topics.txt")}: no topics; expected at least one`] },
  { name: "missing topics file", setup: () => ["topics", "--topics", at("absent-topics.txt"), ...SUBJECTS], status: 1, expected: () => [`litelong: error: ${at("absent-topics.txt")}: no such file; expected a topics file (JSONL with text, or one topic per line)`] },
  {
    name: "a replica listed twice and a replica that is not an http(s) URL",
    setup: () => {
      writeFileSync(join(directory, "replicas.yaml"), "models:\n  qwen: { baseURL: [http://10.0.0.1:8000/v1, http://10.0.0.2:8000/v1, http://10.0.0.1:8000/v1, ftp://10.0.0.3/v1], model: q }\n");
      return ["index", "--config", join(directory, "replicas.yaml"), "--corpus", good];
    },
    status: 2,
    expected: () => [
      "litelong: error: invalid configuration:",
      `  - ${join(directory, "replicas.yaml")} + flags: models.qwen.baseURL.3: expected an http(s) URL such as http://127.0.0.1:8000/v1`,
      `  - ${join(directory, "replicas.yaml")} + flags: models.qwen.baseURL.2: http://10.0.0.1:8000/v1 is listed twice`,
    ],
  },
];

test("fatal input: a damaged manifest is refused, not overwritten", () => {
  const run = join(directory, "damaged-manifest");
  mkdirSync(run);
  inputFile("damaged-manifest/manifest.json", "junk");
  const failed = runCli(["index", "--corpus", good, "--out", run]);
  assert.equal(failed.status, 1);
  assert.deepEqual(errorLines(failed.stderr), [`litelong: error: ${join(run, "manifest.json")}: not a litelong manifest (Invalid input: expected object, received undefined)`]);
  assert.equal(readFileSync(join(run, "manifest.json"), "utf8"), "junk");
});

for (const row of FATAL_ROWS) {
  test(`fatal input: ${row.name}`, { skip: row.skip ?? false }, () => {
    const failed = runCli([...row.setup(), "--out", completed]);
    assert.equal(failed.status, row.status, failed.stderr);
    assert.deepEqual(errorLines(failed.stderr), row.expected());
    assert.deepEqual(snapshot(completed), before, "the completed run is left intact");
  });
}
