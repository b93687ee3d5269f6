import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/** Every file below `folder` of `root`, as sorted paths relative to `root`. */
export function filesUnder(root: string, folder = ""): string[] {
  const start = join(root, folder);
  if (!existsSync(start)) return [];
  return readdirSync(start, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

/** Temporary files (`*.tmp-<pid>`) anywhere in a run directory. */
export function temporaryFiles(root: string): string[] {
  return filesUnder(root).filter((path) => /\.tmp-/.test(path));
}

/** Paths (of `paths`) whose bytes differ between the two run directories or are missing from `actual`. */
export function differences(reference: string, actual: string, paths: string[]): string[] {
  return paths.filter((path) => {
    const expected = readFileSync(join(reference, path));
    return !existsSync(join(actual, path)) || !readFileSync(join(actual, path)).equals(expected);
  });
}

/** The stages a run directory's manifest records done. */
export function completedStages(root: string): string[] {
  const path = join(root, "manifest.json");
  if (!existsSync(path)) return [];
  return Object.keys((JSON.parse(readFileSync(path, "utf8")) as { stages: Record<string, unknown> }).stages);
}
