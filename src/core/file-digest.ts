import { createReadStream } from "node:fs";
import { createHash } from "node:crypto";

/** Hex SHA-256 of a file's bytes, streamed. */
export async function fileDigest(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
