import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDebianPackage } from "./debian-packages.js";

/** What one finished process cost, as the kernel accounted it (wait4 rusage via GNU time). */
export interface ProcessCost {
  seconds: number;
  /** User + system CPU seconds of the process and its children: "per core" divides by this. */
  cpuSeconds: number;
  peakRssBytes: number;
  stdout: string;
}

const GNU_TIME = "/usr/bin/time";

/**
 * Runs a command to completion under GNU time and returns its wall time, CPU time and peak
 * resident memory. A non-zero exit is an error carrying the command's stderr.
 */
export async function runMeasured(command: string, args: readonly string[], options: { cwd?: string } = {}): Promise<ProcessCost> {
  ensureDebianPackage("time", GNU_TIME);
  const directory = mkdtempSync(join(tmpdir(), "litelong-bench-time-"));
  const report = join(directory, "time.txt");
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(GNU_TIME, ["-f", "%e %U %S %M", "-o", report, command, ...args], { cwd: options.cwd, maxBuffer: 1 << 30, encoding: "utf8" }, (error, out, stderr) => {
        if (error) reject(new Error(`${command} ${args.join(" ")} failed: ${stderr.trim().split("\n").slice(-5).join("\n")}`));
        else resolve(out);
      });
    });
    // GNU time may print a warning line first; the numbers are on the last line.
    const [elapsed, user, system, maxRssKilobytes] = readFileSync(report, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
    return { seconds: elapsed!, cpuSeconds: user! + system!, peakRssBytes: maxRssKilobytes! * 1024, stdout };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Bytes of every file under `path` (or of `path` itself when it is a file). */
export function diskBytes(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.size;
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}
