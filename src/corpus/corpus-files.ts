import { stat } from "node:fs/promises";
import { basename, isAbsolute, relative, resolve, sep } from "node:path";
import { glob, isDynamicPattern } from "tinyglobby";
import { InputError } from "../core/errors.js";

/** How a corpus file is read: JSON lines (plain or compressed), parquet, or one document per file. */
export type CorpusFormat = "jsonl" | "jsonl.gz" | "jsonl.zst" | "parquet" | "text";

/** One corpus file found by {@link resolveCorpusFiles}. */
export interface CorpusFile {
  /** Absolute path. */
  path: string;
  /**
   * Stable name used in document ids and displays: the path relative to the directory argument
   * (with "/" separators) for files found in a directory, the basename otherwise.
   */
  name: string;
  format: CorpusFormat;
  /** Size on disk in bytes (compressed size for .gz / .zst). */
  size: number;
  /** Last modification time, milliseconds since the epoch. */
  mtimeMs: number;
}

/** Longest suffixes first so ".jsonl.gz" wins over a bare ".gz" lookup. */
const FORMAT_BY_EXTENSION: ReadonlyArray<readonly [string, CorpusFormat]> = [
  [".jsonl.gz", "jsonl.gz"],
  [".ndjson.gz", "jsonl.gz"],
  [".json.gz", "jsonl.gz"],
  [".jsonl.zst", "jsonl.zst"],
  [".ndjson.zst", "jsonl.zst"],
  [".jsonl", "jsonl"],
  [".ndjson", "jsonl"],
  [".parquet", "parquet"],
  [".txt", "text"],
  [".text", "text"],
  [".md", "text"],
  [".rst", "text"],
  [".html", "text"],
  [".htm", "text"],
];

/** The extensions {@link resolveCorpusFiles} recognises, for messages and help text. */
export const CORPUS_FILE_EXTENSIONS: readonly string[] = FORMAT_BY_EXTENSION.map(([extension]) => extension);

/** The format a path's extension (case-insensitive) implies, or undefined when it is not a corpus file. */
export function corpusFormatOf(path: string): CorpusFormat | undefined {
  const lower = path.toLowerCase();
  for (const [extension, format] of FORMAT_BY_EXTENSION) {
    if (lower.endsWith(extension)) return format;
  }
  return undefined;
}

/**
 * How messages name a corpus file: relative to the working directory when the file sits below
 * it (short and still openable), else the absolute path.
 */
export function displayPathOf(path: string): string {
  const relativePath = relative(process.cwd(), path);
  if (relativePath === "" || relativePath.startsWith("..") || isAbsolute(relativePath)) return path;
  return relativePath;
}

/**
 * Expands `--corpus` arguments into corpus files. Each argument is an existing file, a directory
 * (walked recursively; hidden entries and files with unknown extensions are ignored) or a glob
 * (files with unknown extensions are ignored). The result is sorted by path and deduplicated
 * (the first argument that reached a file names it).
 *
 * @throws InputError for a path that does not exist, a glob or directory with no corpus files,
 *   a file given explicitly with an unknown extension, or two different files with the same name.
 */
export async function resolveCorpusFiles(specs: string[]): Promise<CorpusFile[]> {
  const byPath = new Map<string, CorpusFile>();
  for (const spec of specs) {
    for (const file of await expandSpec(spec)) {
      if (!byPath.has(file.path)) byPath.set(file.path, file);
    }
  }
  const files = [...byPath.values()].sort((a, b) => compareStrings(a.path, b.path));
  rejectDuplicateNames(files);
  return files;
}

async function expandSpec(spec: string): Promise<CorpusFile[]> {
  const absolute = resolve(spec);
  const stats = await stat(absolute).catch(() => undefined);
  if (stats?.isFile()) {
    const format = corpusFormatOf(absolute);
    if (format === undefined) {
      throw new InputError({ file: spec }, `unknown corpus file extension; expected one of ${CORPUS_FILE_EXTENSIONS.join(" ")}`);
    }
    return [{ path: absolute, name: basename(absolute), format, size: stats.size, mtimeMs: stats.mtimeMs }];
  }
  if (stats?.isDirectory()) return expandDirectory(spec, absolute);
  if (stats === undefined && isDynamicPattern(spec)) return expandGlob(spec);
  throw new InputError({ file: spec }, stats === undefined ? "no such file or directory" : "not a file or directory");
}

async function expandDirectory(spec: string, directory: string): Promise<CorpusFile[]> {
  const found = await glob("**/*", { cwd: directory, onlyFiles: true, dot: false, absolute: true });
  const files = await describeFiles(found, (path) => relative(directory, path).split(sep).join("/"));
  if (files.length === 0) {
    throw new InputError({ file: spec }, `directory contains no corpus files; expected files ending in ${CORPUS_FILE_EXTENSIONS.join(" ")}`);
  }
  return files;
}

async function expandGlob(spec: string): Promise<CorpusFile[]> {
  const found = await glob(spec, { onlyFiles: true, absolute: true });
  const files = await describeFiles(found, (path) => basename(path));
  if (files.length === 0) {
    const detail = found.length === 0 ? "" : ` (${found.length} matching files have unknown extensions)`;
    throw new InputError({ file: spec }, `glob matches no corpus files${detail}`);
  }
  return files;
}

async function describeFiles(paths: string[], nameOf: (path: string) => string): Promise<CorpusFile[]> {
  const files: CorpusFile[] = [];
  for (const found of paths) {
    const path = resolve(found);
    const format = corpusFormatOf(path);
    if (format === undefined) continue;
    const stats = await stat(path);
    files.push({ path, name: nameOf(path), format, size: stats.size, mtimeMs: stats.mtimeMs });
  }
  return files;
}

function rejectDuplicateNames(files: CorpusFile[]): void {
  const pathByName = new Map<string, string>();
  for (const file of files) {
    const earlier = pathByName.get(file.name);
    if (earlier !== undefined) {
      // Names become document ids, so two files with one name would make ids collide.
      throw new InputError(
        { file: file.path },
        `has the same corpus name '${file.name}' as ${earlier}; pass their common parent directory instead`,
      );
    }
    pathByName.set(file.name, file.path);
  }
}

/** Code-unit order, independent of locale, so the file order (and thus ids) is reproducible. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
