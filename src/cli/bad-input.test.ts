import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { runCli, temporaryDirectory, zstdMissing } from "../test-support/fixtures.js";

const directory = temporaryDirectory("litelong-bad-input-");
const good = join(directory, "good.jsonl");
writeFileSync(good, '{"id":"a","text":"hello world"}\n{"id":"b","text":"other words"}\n');
const completed = join(directory, "completed");
const first = runCli(["index", "--corpus", good, "--out", completed]);
assert.equal(first.status, 0, first.stderr);

/** Every file of a directory tree with its bytes, to show a failed command changed nothing. */
function snapshot(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(path, readFileSync(path).toString("base64"));
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

interface FatalRow { name: string; setup: () => string[]; status: number; expected: () => string[]; skip?: string | false }
const zstFile = join(directory, "corrupt.jsonl.zst");
const FATAL_ROWS: FatalRow[] = [
  {
    name: "corrupt .zst",
    skip: zstdMissing(),
    setup: () => {
      const whole = execFileSync("zstd", ["-q", "-c"], { input: '{"id":"a","text":"hello world"}\n'.repeat(2000) });
      writeFileSync(zstFile, whole.subarray(0, 30));
      return ["--corpus", zstFile];
    },
    status: 1,
    expected: () => [`litelong: error: ${zstFile}: truncated or corrupt zstd data (unexpected EOF)`],
  },
  {
    name: "parquet file that is not parquet",
    setup: () => { writeFileSync(join(directory, "fake.parquet"), "not parquet at all\n"); return ["--corpus", join(directory, "fake.parquet")]; },
    status: 1,
    expected: () => [`litelong: error: ${join(directory, "fake.parquet")}: not a parquet file (parquet file invalid (footer != PAR1))`],
  },
  {
    name: "empty corpus file",
    setup: () => { writeFileSync(join(directory, "empty0.jsonl"), ""); return ["--corpus", join(directory, "empty0.jsonl")]; },
    status: 1,
    expected: () => [`litelong: error: ${join(directory, "empty0.jsonl")}: no usable documents in the corpus`],
  },
  {
    name: "glob matching nothing",
    setup: () => ["--corpus", join(directory, "nothing", "*.jsonl")],
    status: 1,
    expected: () => [`litelong: error: ${join(directory, "nothing", "*.jsonl")}: glob matches no corpus files`],
  },
  {
    name: "non-existent path",
    setup: () => ["--corpus", join(directory, "absent.jsonl")],
    status: 1,
    expected: () => [`litelong: error: ${join(directory, "absent.jsonl")}: no such file or directory`],
  },
  {
    name: "unknown keys and wrong types in a YAML config",
    setup: () => {
      writeFileSync(join(directory, "bad.yaml"), "length: lots\nsamplesPerTopic: -1\ncolour: blue\n");
      return ["--config", join(directory, "bad.yaml"), "--corpus", good];
    },
    status: 2,
    expected: () => [
      "litelong: error: invalid configuration:",
      `  - ${join(directory, "bad.yaml")} + flags: length: Invalid input: expected number, received string`,
      `  - ${join(directory, "bad.yaml")} + flags: samplesPerTopic: Too small: expected number to be >0`,
      `  - ${join(directory, "bad.yaml")} + flags: (root): Unrecognized key: "colour"`,
    ],
  },
];

for (const row of FATAL_ROWS) {
  test(`fatal input: ${row.name}`, { skip: row.skip ?? false }, () => {
    const failed = runCli(["index", ...row.setup(), "--out", completed, "--force"]);
    assert.equal(failed.status, row.status, failed.stderr);
    assert.deepEqual(errorLines(failed.stderr), row.expected());
    assert.deepEqual(snapshot(completed), before, "the completed run is left intact");
  });
}
