import { createWriteStream, type WriteStream } from "node:fs";
import { open, readdir, rename, rm, type FileHandle } from "node:fs/promises";
import { dirname, join } from "node:path";
import { once } from "node:events";
import { makeDirectory } from "./make-directory.js";

/** Temporary sibling name used while a file is being written; never read by anything. */
export function temporaryPathFor(path: string): string {
  return `${path}.tmp-${process.pid}`;
}

const TEMPORARY_NAME = /\.tmp-(\d+)$/;

/**
 * Removes the temporary files (see temporaryPathFor) in `directory` left by a process that no
 * longer runs, e.g. one killed mid-write: nothing reads them, but they would pile up on disk.
 * Files of a live process are kept. Not recursive; a missing directory is fine.
 * Returns the removed file names.
 */
export async function removeStaleTemporaries(directory: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const stale = names.filter((name) => {
    const pid = TEMPORARY_NAME.exec(name)?.[1];
    return pid !== undefined && !processIsAlive(Number(pid));
  });
  for (const name of stale) await rm(join(directory, name), { force: true });
  return stale;
}

function processIsAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Writes `data` to `path` so that readers see either the old file or the complete new one:
 * write a temporary sibling, fsync it, rename it over the target.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await writeFileAtomicWith(path, (handle) => handle.writeFile(data));
}

/**
 * writeFileAtomic for content made a piece at a time: `write` appends to the temporary file
 * (FileHandle.writeFile writes from the current position), so the whole never sits in memory.
 */
export async function writeFileAtomicWith(path: string, write: (handle: FileHandle) => Promise<void>): Promise<void> {
  await makeDirectory(dirname(path));
  const temporary = temporaryPathFor(path);
  const handle = await open(temporary, "w");
  try {
    await write(handle);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}

/**
 * Streams lines into a temporary file and renames it into place on `commit()`; `abort()`
 * removes the temporary file. Back-pressure is honoured so memory stays flat.
 */
export class AtomicLineWriter {
  private readonly temporary: string;
  private stream: WriteStream | undefined;

  private constructor(readonly path: string) {
    this.temporary = temporaryPathFor(path);
  }

  static async create(path: string): Promise<AtomicLineWriter> {
    await makeDirectory(dirname(path));
    const writer = new AtomicLineWriter(path);
    writer.stream = createWriteStream(writer.temporary);
    await once(writer.stream, "open");
    return writer;
  }

  /** Appends one line (a newline is added). */
  async writeLine(line: string): Promise<void> {
    const stream = this.requireOpen();
    if (!stream.write(line + "\n")) await once(stream, "drain");
  }

  async commit(): Promise<void> {
    const stream = this.requireOpen();
    this.stream = undefined;
    await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
    const handle = await open(this.temporary, "r+");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(this.temporary, this.path);
  }

  async abort(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    if (stream) await new Promise<void>((resolve) => stream.end(() => resolve()));
    await rm(this.temporary, { force: true });
  }

  private requireOpen(): WriteStream {
    if (!this.stream) throw new Error(`writer for ${this.path} is closed`);
    return this.stream;
  }
}
