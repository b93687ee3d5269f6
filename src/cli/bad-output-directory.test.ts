import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, temporaryDirectory, type CliResult } from "../test-support/fixtures.js";
import { mountingUnavailable, runInMountNamespace } from "../test-support/mount-namespace.js";

/**
 * Issue 6: an --out the run directory cannot be made in ends at once with a message naming the
 * path at fault and exit 1. Node 20's recursive mkdir never returns under /proc, so every CLI
 * call here is killed after a minute: a hang fails the test instead of stalling the suite.
 */

const directory = temporaryDirectory("litelong-bad-out-");
const corpus = join(directory, "good.jsonl");
writeFileSync(corpus, '{"id":"a","text":"hello world"}\n');
const HANG_GUARD_MS = 60_000;

function indexInto(out: string): CliResult {
  return runCli(["index", "--corpus", corpus, "--out", out], { timeoutMs: HANG_GUARD_MS });
}

function assertRefused(result: CliResult, message: string): void {
  assert.equal(result.status, 1, result.stderr);
  assert.equal(result.stderr, `litelong: error: ${message}\n`);
}

test("--out under /proc fails at once instead of hanging", () => {
  // Root may try to mkdir there (the kernel answers ENOENT); anyone else is refused by /proc's mode.
  const reason = process.getuid?.() === 0 ? "/proc/litelong-test: the file system refuses to create it (ENOENT)" : "/proc: not writable (EACCES)";
  assertRefused(indexInto("/proc/litelong-test/run"), `/proc/litelong-test/run: cannot create the run directory: ${reason}`);
});

test("--out inside an existing /proc directory fails at once", () => {
  const reason = process.getuid?.() === 0 ? "EPERM" : "EACCES";
  assertRefused(indexInto("/proc/self/run"), `/proc/self/run: cannot create the run directory: /proc/self: not writable (${reason})`);
});

test("--out under a regular file names that file", () => {
  const file = join(directory, "a-file");
  writeFileSync(file, "");
  assertRefused(indexInto(join(file, "deeper", "run")), `${join(file, "deeper", "run")}: cannot create the run directory: ${file}: exists and is not a directory`);
});

test("--out that is an existing regular file", () => {
  assertRefused(indexInto(corpus), `${corpus}: cannot create the run directory: ${corpus}: exists and is not a directory`);
});

test("--out on a read-only file system", { skip: mountingUnavailable() }, () => {
  const mountPoint = join(directory, "read-only");
  mkdirSync(mountPoint);
  const out = join(mountPoint, "runs", "first");
  const result = runInMountNamespace('mount -t tmpfs -o ro,size=64k tmpfs "$1" && exec "$NODE" "$CLI" index --corpus "$2" --out "$3"', [mountPoint, corpus, out]);
  assertRefused(result, `${out}: cannot create the run directory: ${mountPoint}: not writable (EROFS)`);
});
