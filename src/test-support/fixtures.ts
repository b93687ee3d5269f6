import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root (tests run from dist/, fixtures live beside src/). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** ../shared beside the project: test data only, never needed at run time. */
export const SHARED = resolve(PROJECT_ROOT, "..", "shared");

export const CLI = join(PROJECT_ROOT, "dist", "cli", "main.js");

/** A fresh temporary directory. */
export function temporaryDirectory(prefix = "litelong-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

let cacmDirectory: string | undefined;

/** The CACM collection (3,204 HTML abstracts) unpacked once per test process. */
export function cacmDocuments(): string {
  if (!cacmDirectory) {
    const directory = temporaryDirectory("litelong-cacm-");
    execFileSync("tar", ["xzf", join(SHARED, "ir", "cacm", "cacm.tar.gz"), "-C", directory]);
    cacmDirectory = directory;
  }
  return cacmDirectory;
}

/** CACM as one JSONL corpus ({ id, text } per line, tags stripped), written into `directory`. */
export function cacmJsonl(directory: string): string {
  const source = cacmDocuments();
  const lines = readdirSync(source)
    .filter((name) => name.endsWith(".html"))
    .sort()
    .map((name) => {
      const text = readFileSync(join(source, name), "utf8").replace(/<[^>]+>/g, " ").trim();
      return JSON.stringify({ id: name.replace(/\.html$/, ""), text });
    });
  const path = join(directory, "cacm.jsonl");
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process; `timeoutMs` kills one that hangs (its status is then -1). */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: { ...process.env, ...options.env },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs, killSignal: "SIGKILL" as const }),
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A file under the project's test-fixtures/ folder. */
export function fixtureFile(...segments: string[]): string {
  return join(PROJECT_ROOT, "test-fixtures", ...segments);
}

/** Why tests that need the zstd CLI cannot run, or false when it is installed. */
export function zstdMissing(): string | false {
  try {
    execFileSync("zstd", ["--version"], { stdio: "ignore" });
    return false;
  } catch {
    return "the zstd CLI is not installed (apt-get install zstd)";
  }
}

export function sharedAvailable(): boolean {
  return existsSync(join(SHARED, "ir", "cacm", "cacm.tar.gz"));
}
