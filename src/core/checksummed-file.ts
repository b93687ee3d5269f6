import { readFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { writeFileAtomic } from "./atomic-file.js";
import { LitelongError } from "./errors.js";

/** A file whose footer no longer matches its contents (truncated, corrupt, or not ours). */
export class CorruptFileError extends LitelongError {}

const FOOTER_LENGTH = 4 + 4 + 32; // format version, magic tag, SHA-256 of the payload

/**
 * Writes `payload` atomically followed by a footer: format version, a 4-byte tag naming the
 * structure, and the payload's SHA-256, so a reader can refuse truncated or foreign files.
 */
export async function writeChecksummedFile(path: string, tag: string, version: number, payload: Uint8Array): Promise<void> {
  const footer = Buffer.alloc(FOOTER_LENGTH);
  footer.writeUInt32LE(version, 0);
  footer.write(tag.padEnd(4).slice(0, 4), 4, "latin1");
  createHash("sha256").update(payload).digest().copy(footer, 8);
  await writeFileAtomic(path, Buffer.concat([payload, footer]));
}

/** Reads a file written by writeChecksummedFile, checking tag, version and checksum. */
export async function readChecksummedFile(path: string, tag: string, version: number): Promise<Buffer> {
  const bytes = await readFile(path);
  if (bytes.length < FOOTER_LENGTH) throw new CorruptFileError(`${path}: too short to be a ${tag} file`);
  const payload = bytes.subarray(0, bytes.length - FOOTER_LENGTH);
  const footer = bytes.subarray(bytes.length - FOOTER_LENGTH);
  if (footer.toString("latin1", 4, 8) !== tag.padEnd(4).slice(0, 4)) throw new CorruptFileError(`${path}: not a ${tag} file`);
  const foundVersion = footer.readUInt32LE(0);
  if (foundVersion !== version) throw new CorruptFileError(`${path}: ${tag} format version ${foundVersion}, expected ${version}`);
  const digest = createHash("sha256").update(payload).digest();
  if (!digest.equals(footer.subarray(8))) throw new CorruptFileError(`${path}: checksum mismatch (truncated or corrupt)`);
  return payload;
}
