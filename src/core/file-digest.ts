import { createReadStream } from "node:fs";
import { createHash } from "node:crypto";
import { InputError } from "./errors.js";

/** Hex SHA-256 of a file's bytes, streamed. */
export async function fileDigest(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * fileDigest of a file the user named on the command line or in the config: a missing or
 * unreadable file is an InputError naming it and what was `expected` there, not a stack trace.
 */
export async function inputFileDigest(path: string, expected: string): Promise<string> {
  try {
    return await fileDigest(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : `cannot read it (${code ?? (error as Error).message})`;
    throw new InputError({ file: path }, `${reason}; expected ${expected}`, { cause: error });
  }
}
