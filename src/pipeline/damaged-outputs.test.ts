import assert from "node:assert/strict";
import { cpSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, test } from "node:test";
import { cacmJsonl, runCli, sharedAvailable, temporaryDirectory } from "../test-support/fixtures.js";

/**
 * Issue 6: a truncated or corrupt output of a completed stage is detected and made again (or,
 * where the command cannot make it, refused with a clear message), never trusted.
 */

const skip = !sharedAvailable() && "needs ../shared";
let base = "";
let corpus = "";
let reference = "";

const PACK_FLAGS = ["--length", "2K", "--samples-per-topic", "1", "--workers", "0", "--format", "jsonl", "--format", "mds"];

/** A run directory with every stage done, copied fresh for each test. */
function copyOfReference(name: string): string {
  const directory = join(base, name);
  cpSync(reference, directory, { recursive: true });
  return directory;
}

function stagesRun(stdout: string): Record<string, boolean> {
  return Object.fromEntries((JSON.parse(stdout) as Array<{ stage: string; skipped: boolean }>).map((result) => [result.stage, !result.skipped]));
}

before(() => {
  if (skip) return;
  base = temporaryDirectory("litelong-damaged-");
  corpus = cacmJsonl(base);
  reference = join(base, "reference");
  for (const [command, ...flags] of [["index", "--corpus", corpus], ["topics", "--subjects", "COMPUTERS / Operating*"], ["retrieve"], ["pack", ...PACK_FLAGS]]) {
    const result = runCli([command!, "--out", reference, ...flags]);
    assert.equal(result.status, 0, result.stderr);
  }
});

test("a truncated index segment is rebuilt by the next index command, byte-identical, and retrieval stays skipped", { skip }, () => {
  const directory = copyOfReference("truncated-index");
  const indexFile = join(directory, "index", "segment-000000.llsg");
  truncateSync(indexFile, 1000);
  const index = runCli(["index", "--out", directory, "--corpus", corpus, "--json"]);
  assert.equal(index.status, 0, index.stderr);
  assert.deepEqual(stagesRun(index.stdout), { index: true });
  assert.equal(index.stderr, `litelong: index: ${indexFile}: truncated segment file (no footer); running the stage again\n`);
  assert.ok(readFileSync(indexFile).equals(readFileSync(join(reference, "index", "segment-000000.llsg"))));
  const retrieve = runCli(["retrieve", "--out", directory, "--json"]);
  assert.deepEqual(stagesRun(retrieve.stdout), { retrieve: false });
});

test("a corrupt index segment fails retrieval with the file, the damage and the command that rebuilds it", { skip }, () => {
  const directory = copyOfReference("corrupt-index");
  const indexFile = join(directory, "index", "segment-000000.llsg");
  const bytes = readFileSync(indexFile);
  bytes[100] = bytes[100]! ^ 0xff;
  writeFileSync(indexFile, bytes);
  rmSync(join(directory, "hits", "hits.jsonl"));
  const retrieve = runCli(["retrieve", "--out", directory]);
  assert.equal(retrieve.status, 1);
  assert.equal(retrieve.stderr, `litelong: error: ${indexFile}: checksum mismatch (truncated or corrupt); rebuild it with \`litelong index\` (or \`litelong run\`)\n`);
});

test("truncated hits are retrieved again, byte-identical", { skip }, () => {
  const directory = copyOfReference("truncated-hits");
  const hitsFile = join(directory, "hits", "hits.jsonl");
  truncateSync(hitsFile, 500);
  const retrieve = runCli(["retrieve", "--out", directory, "--json"]);
  assert.equal(retrieve.status, 0, retrieve.stderr);
  assert.deepEqual(stagesRun(retrieve.stdout), { retrieve: true });
  assert.equal(retrieve.stderr, `litelong: retrieve: ${hitsFile} changed since the stage completed (truncated, corrupt or edited); running the stage again\n`);
  assert.ok(readFileSync(hitsFile).equals(readFileSync(join(reference, "hits", "hits.jsonl"))));
});

test("temporary files a killed run left are removed by the next command and never read", { skip }, () => {
  const directory = copyOfReference("stale-temporaries");
  const dead = 2 ** 22 + 1; // above Linux's default pid_max: no such process
  for (const path of [`hits/hits.jsonl.tmp-${dead}`, `index/segment-000000.llsg.tmp-${dead}`, `manifest.json.tmp-${dead}`]) writeFileSync(join(directory, path), "half-written");
  const retrieve = runCli(["retrieve", "--out", directory, "--json"]);
  assert.equal(retrieve.status, 0, retrieve.stderr);
  assert.deepEqual(stagesRun(retrieve.stdout), { retrieve: false });
  const index = runCli(["index", "--out", directory, "--corpus", corpus, "--json"]);
  assert.deepEqual(stagesRun(index.stdout), { index: false });
  for (const folder of ["", "hits", "index"]) assert.deepEqual(readdirSync(join(directory, folder)).filter((name) => name.includes(".tmp-")), []);
});

test("a truncated MDS shard is packed again, byte-identical, instead of being trusted", { skip }, () => {
  const directory = copyOfReference("truncated-shard");
  const shard = join(directory, "samples", "mds", "shard.00000.mds");
  truncateSync(shard, 4096);
  const pack = runCli(["pack", "--out", directory, ...PACK_FLAGS, "--json"]);
  assert.equal(pack.status, 0, pack.stderr);
  assert.deepEqual(stagesRun(pack.stdout), { pack: true });
  assert.equal(pack.stderr, `litelong: pack: ${shard}: SHA-256 differs from its index.json (truncated or corrupt); running the stage again\n`);
  assert.ok(readFileSync(shard).equals(readFileSync(join(reference, "samples", "mds", "shard.00000.mds"))));
  const again = runCli(["pack", "--out", directory, ...PACK_FLAGS, "--json"]);
  assert.deepEqual(stagesRun(again.stdout), { pack: false });
});
