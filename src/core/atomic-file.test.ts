import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { removeStaleTemporaries, temporaryPathFor, writeFileAtomic } from "./atomic-file.js";

/** The id of a process that has exited. */
function exitedProcessId(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid!;
}

test("removeStaleTemporaries removes only the temporary files of processes that no longer run", async () => {
  const directory = mkdtempSync(join(tmpdir(), "litelong-atomic-"));
  const dead = exitedProcessId();
  for (const name of [`hits.jsonl.tmp-${dead}`, `hits.jsonl.tmp-${process.pid}`, "hits.jsonl", "notes.tmp-x"]) writeFileSync(join(directory, name), "partial");
  assert.deepEqual(await removeStaleTemporaries(directory), [`hits.jsonl.tmp-${dead}`]);
  assert.deepEqual(readdirSync(directory).sort(), ["hits.jsonl", `hits.jsonl.tmp-${process.pid}`, "notes.tmp-x"]);
  assert.deepEqual(await removeStaleTemporaries(join(directory, "missing")), []);
});

test("writeFileAtomic leaves the complete file and no temporary file", async () => {
  const directory = mkdtempSync(join(tmpdir(), "litelong-atomic-"));
  const path = join(directory, "nested", "file.json");
  await writeFileAtomic(path, "{}\n");
  assert.deepEqual(readdirSync(join(directory, "nested")), ["file.json"]);
  assert.equal(temporaryPathFor(path), `${path}.tmp-${process.pid}`);
});
