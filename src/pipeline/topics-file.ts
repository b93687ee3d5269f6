import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { z } from "zod";
import { InputError } from "../core/errors.js";
import { readAllJsonLines } from "../core/jsonl-file.js";
import type { Topic } from "../core/records.js";

const topicLineSchema = z.object({
  id: z.union([z.string().min(1), z.number()]).optional(),
  subjectId: z.string().min(1).optional(),
  text: z.string().trim().min(1, "empty; expected the topic text"),
  explanation: z.string().optional(),
});

/**
 * Your own topics instead of headings: JSONL records `{ text, id?, subjectId?, explanation? }`,
 * or a text/TSV file with one topic per line (`id<TAB>text` or just `text`).
 */
export async function readTopicsFile(path: string): Promise<Topic[]> {
  const extension = extname(path).toLowerCase();
  const entries = extension === ".jsonl" || extension === ".json" ? await readJsonTopics(path) : await readLineTopics(path);
  if (entries.length === 0) throw new InputError({ file: path }, "no topics; expected at least one");
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const id = entry.id ?? `topic-${index + 1}`;
    if (seen.has(id)) throw new InputError({ file: path, line: entry.line, field: "id" }, `duplicate topic id "${id}"`);
    seen.add(id);
    return {
      id,
      subjectId: entry.subjectId ?? "custom",
      text: entry.text,
      explanation: entry.explanation ?? "",
      proposedBy: "file",
      critiques: [],
      verdict: "kept",
      reasons: [],
    };
  });
}

interface TopicEntry {
  line: number;
  id?: string;
  subjectId?: string;
  text: string;
  explanation?: string;
}

async function readJsonTopics(path: string): Promise<TopicEntry[]> {
  const records = await readAllJsonLines(path, topicLineSchema);
  return records.map((record, index) => ({
    line: index + 1,
    id: record.id === undefined ? undefined : String(record.id),
    subjectId: record.subjectId,
    text: record.text.trim(),
    explanation: record.explanation,
  }));
}

async function readLineTopics(path: string): Promise<TopicEntry[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new InputError({ file: path }, "cannot read the topics file", { cause: error });
  }
  const entries: TopicEntry[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim().length === 0) return;
    const tab = line.indexOf("\t");
    const id = tab >= 0 ? line.slice(0, tab).trim() : undefined;
    const topicText = (tab >= 0 ? line.slice(tab + 1) : line).trim();
    if (topicText.length === 0) throw new InputError({ file: path, line: index + 1, field: "text" }, "empty; expected the topic text");
    entries.push({ line: index + 1, id: id || undefined, text: topicText });
  });
  return entries;
}
