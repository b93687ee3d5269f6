import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import { cacmJsonl, runCli, sharedAvailable, temporaryDirectory } from "../test-support/fixtures.js";
import { mountingUnavailable, runInMountNamespace } from "../test-support/mount-namespace.js";

/**
 * Issue 6, disk full: pack into a tmpfs too small for its samples. The command must end with a
 * clear message and exit 1, leave the earlier stages' files as they were and pack unrecorded;
 * after the tmpfs grows, the same command completes with the bytes of a run that had room.
 */

const PACK_FLAGS = ["--length", "2K", "--samples-per-topic", "2", "--workers", "0", "--format", "jsonl", "--format", "mds"];

/** Every file under `root` but the manifest (whose timings differ run to run): relative path → SHA-256. */
function digests(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile() && relative(root, path) !== "manifest.json") files.set(relative(root, path), createHash("sha256").update(readFileSync(path)).digest("hex"));
  }
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

function bytesUnder(root: string, filter: (path: string) => boolean = () => true): number {
  let total = 0;
  for (const path of digests(root).keys()) if (filter(path)) total += statSync(join(root, path)).size;
  return total;
}

/** The script run in its own mount namespace: fill, fail, copy the state out, grow, rerun. */
const SCRIPT = `
set -u
mount -t tmpfs -o "size=$TMPFS_BYTES" tmpfs "$MOUNT"
cp -a "$BEFORE" "$MOUNT/run"
"$NODE" "$CLI" pack --out "$MOUNT/run" "$@" > "$LOGS/full.stdout" 2> "$LOGS/full.stderr"; echo $? > "$LOGS/full.status"
cp -a "$MOUNT/run" "$LOGS/after-full"
mount -o remount,size=256m "$MOUNT"
"$NODE" "$CLI" pack --out "$MOUNT/run" "$@" > "$LOGS/rerun.stdout" 2> "$LOGS/rerun.stderr"; echo $? > "$LOGS/rerun.status"
cp -a "$MOUNT/run" "$LOGS/after-rerun"
`;

test("disk full during pack: clear message, exit 1, earlier stages intact, a rerun with space gives the same bytes", { skip: mountingUnavailable() || (!sharedAvailable() && "needs ../shared"), timeout: 300_000 }, () => {
  const base = temporaryDirectory("litelong-disk-full-");
  const corpus = cacmJsonl(base);
  const before = join(base, "before-pack");
  for (const [command, ...flags] of [["index", "--corpus", corpus], ["topics", "--subjects", "COMPUTERS / Operating*", "--subjects", "COM051*"], ["retrieve"]]) {
    const result = runCli([command!, "--out", before, ...flags]);
    assert.equal(result.status, 0, result.stderr);
  }
  const reference = join(base, "reference");
  cpSync(before, reference, { recursive: true });
  assert.equal(runCli(["pack", "--out", reference, ...PACK_FLAGS]).status, 0);

  // Room for the earlier stages (a page per file) and half of what pack writes.
  const tmpfsBytes = bytesUnder(before) + (digests(before).size + 1) * 4096 + Math.floor(bytesUnder(reference, (path) => path.startsWith("samples")) / 2);
  const mount = join(base, "small-disk");
  const logs = join(base, "logs");
  mkdirSync(mount);
  mkdirSync(logs);
  const result = runInMountNamespace(SCRIPT, PACK_FLAGS, { TMPFS_BYTES: String(tmpfsBytes), MOUNT: mount, BEFORE: before, LOGS: logs });
  assert.equal(result.status, 0, result.stderr);
  const log = (name: string) => readFileSync(join(logs, name), "utf8");

  assert.equal(log("full.status"), "1\n");
  assert.match(log("full.stderr"), /^litelong: error: .+: no space left on the device during the pack stage \(ENOSPC: no space left on device, write\); completed stages are kept: free space and run the same command again to resume\n$/);
  assert.ok(log("full.stderr").startsWith(`litelong: error: ${join(mount, "run")}: `));
  const afterFull = join(logs, "after-full");
  const manifest = JSON.parse(readFileSync(join(afterFull, "manifest.json"), "utf8")) as { stages: Record<string, unknown> };
  assert.deepEqual(Object.keys(manifest.stages).sort(), ["index", "retrieve", "taxonomy", "topics"], "pack is not recorded done");
  const earlier = digests(before);
  const kept = new Map([...digests(afterFull)].filter(([path]) => earlier.has(path)));
  assert.deepEqual(kept, earlier, "every file of the earlier stages is unchanged");

  assert.equal(log("rerun.status"), "0\n", log("rerun.stderr"));
  assert.deepEqual(digests(join(logs, "after-rerun")), digests(reference), "the resumed run has the bytes of a run that had room, and no temporary file");
});
