import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { parse as parseYaml } from "yaml";
import { ConfigError } from "../core/errors.js";

/** Reads a YAML or JSON config file into a plain object (validated later with the flags). */
export async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError([`${path}: cannot read the config file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`]);
  }
  const extension = extname(path).toLowerCase();
  let value: unknown;
  try {
    value = extension === ".json" ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError([`${path}: not valid ${extension === ".json" ? "JSON" : "YAML"} (${(error as Error).message.split("\n")[0]})`]);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw new ConfigError([`${path}: expected a mapping of option names to values`]);
  return value as Record<string, unknown>;
}
