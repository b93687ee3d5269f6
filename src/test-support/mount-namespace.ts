import { spawnSync } from "node:child_process";
import { CLI, type CliResult } from "./fixtures.js";

/**
 * Why tests that mount file systems (a read-only or a tiny tmpfs) cannot run here, or false.
 * They need root and util-linux's unshare, so the mounts live in a private mount namespace and
 * vanish with it, whatever happens to the test.
 */
export function mountingUnavailable(): string | false {
  if (process.platform !== "linux") return "mount namespaces are Linux only";
  if (process.getuid?.() !== 0) return "mounting a tmpfs needs root";
  const probe = spawnSync("unshare", ["--mount", "--propagation", "private", "mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", "/mnt"], { encoding: "utf8" });
  return probe.status === 0 ? false : `cannot mount in a private namespace (${(probe.stderr || String(probe.error)).trim()})`;
}

/**
 * Runs a bash `script` in a private mount namespace. The script sees "$NODE" "$CLI" (the built
 * CLI), the `env` given, and `args` as "$@"; its mounts are undone when it exits.
 */
export function runInMountNamespace(script: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): CliResult {
  const result = spawnSync("unshare", ["--mount", "--propagation", "private", "bash", "-c", script, "bash", ...args], {
    env: { ...process.env, ...env, NODE: process.execPath, CLI },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    timeout: 600_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
