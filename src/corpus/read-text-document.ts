import { readFile } from "node:fs/promises";
import { InputError } from "../core/errors.js";
import type { RecordProblem } from "./corpus-record-checker.js";
import { htmlToText } from "./html-to-text.js";

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads a text corpus file as one document: UTF-8 (a byte-order mark is dropped), HTML reduced
 * to its text. Used both when reading the corpus and when reading texts back by pointer, so
 * both see the very same text.
 *
 * @returns the text, or the problem that makes the file a bad record
 * @throws InputError naming the file when it cannot be read
 */
export async function readTextDocument(path: string, label: string): Promise<{ text: string } | { problem: RecordProblem }> {
  const bytes = await readFile(path).catch((error: unknown) => {
    throw new InputError({ file: label }, `cannot read: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  });
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { problem: { reason: "invalid-utf8", problem: "invalid UTF-8; expected UTF-8 text" } };
  }
  if (/\.html?$/i.test(path)) text = htmlToText(text);
  if (text.trim() === "") return { problem: { reason: "empty-text", problem: "empty or whitespace-only; expected non-empty text" } };
  return { text };
}

/** A text file's document id: its corpus name without the last extension ("a/CACM-0001.html" -> "a/CACM-0001"). */
export function textDocumentId(name: string): string {
  return name.replace(/\.[^./]*$/, "");
}
