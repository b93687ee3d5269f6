import { constants } from "node:fs";
import { access, mkdir, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { LitelongError } from "./errors.js";

/** Why a directory cannot be made; `path` is the existing ancestor or the component at fault. */
export class DirectoryRefusedError extends LitelongError {
  constructor(
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${reason}`, options);
  }
}

/**
 * Makes `directory` and its missing parents, like `mkdir -p`, but fails fast with a reason where
 * the recursive mode of Node 20's fs.mkdir never returns (under /proc and /sys it loops forever
 * on the ENOENT those file systems answer) or answers with a bare errno: the nearest existing
 * ancestor must be a writable directory, then each missing component is made on its own.
 */
export async function makeDirectory(directory: string): Promise<void> {
  const missing: string[] = [];
  let existing = resolve(directory);
  for (;;) {
    const kind = await entryKind(existing);
    if (kind === "directory") break;
    if (kind === "other") throw new DirectoryRefusedError(existing, "exists and is not a directory");
    missing.unshift(existing);
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  if (missing.length === 0) return;
  try {
    await access(existing, constants.W_OK);
  } catch (error) {
    throw new DirectoryRefusedError(existing, `not writable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
  for (const path of missing) {
    try {
      await mkdir(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Another process made it in between: that is what we wanted.
      if (code === "EEXIST" && (await entryKind(path)) === "directory") continue;
      throw new DirectoryRefusedError(path, `the file system refuses to create it (${code ?? (error as Error).message})`, { cause: error });
    }
  }
}

async function entryKind(path: string): Promise<"directory" | "other" | "missing"> {
  try {
    return (await stat(path)).isDirectory() ? "directory" : "other";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return "missing";
    // ENOTDIR: an ancestor is a file; report that ancestor, found on the next step up.
    if (code === "ENOTDIR") return "missing";
    throw error;
  }
}
