import { open, readFile, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { BatchedAppender } from "../core/batched-appender.js";
import { makeDirectory } from "../core/make-directory.js";
import { sha256, stableStringify } from "../core/stable-json.js";
import { CHAT_MODEL_SPECIFICATION_VERSION, type ChatRequest, type ChatResponse } from "./chat-model.js";

const responseSchema = z.object({
  text: z.string(),
  finishReason: z.string(),
  usage: z.object({ promptTokens: z.number(), completionTokens: z.number() }),
  structured: z.enum(["json-schema", "grammar", "none"]),
});

const lineSchema = z.object({ key: z.string(), response: responseSchema, check: z.string() });

/** The cache key of a request to a model: model identity, messages and sampling parameters. */
export function responseCacheKey(modelIdentity: string, request: ChatRequest): string {
  return sha256(stableStringify({ specification: CHAT_MODEL_SPECIFICATION_VERSION, model: modelIdentity, request }));
}

function lineCheck(key: string, response: ChatResponse): string {
  return sha256(stableStringify({ key, response })).slice(0, 16);
}

/**
 * A persistent cache of model replies: an append-only JSON-lines file, one line per answered
 * call, each with a checksum. A killed process leaves at most one torn last line; opening
 * truncates it away (and a line failing its checksum is ignored). A rerun or resume therefore makes no call
 * whose reply reached the file.
 */
export class ResponseCache {
  /** Lines dropped when opening (torn or corrupt). */
  readonly damagedLines: number;
  private readonly entries: Map<string, ChatResponse>;
  private readonly appender: BatchedAppender;

  private constructor(
    readonly path: string,
    handle: FileHandle,
    entries: Map<string, ChatResponse>,
    damagedLines: number,
  ) {
    this.entries = entries;
    this.damagedLines = damagedLines;
    this.appender = new BatchedAppender(handle);
  }

  /** Opens (or creates) the cache file, keeping every intact line. */
  static async open(path: string): Promise<ResponseCache> {
    await makeDirectory(dirname(path));
    const { entries, damaged, intactBytes, totalBytes } = await readEntries(path);
    const handle = await open(path, "a+");
    // A torn tail would glue itself to the next append; cut back to the last intact line.
    if (intactBytes < totalBytes) await handle.truncate(intactBytes);
    return new ResponseCache(path, handle, entries, damaged);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): ChatResponse | undefined {
    return this.entries.get(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /**
   * Records a reply. Lines are appended in batches behind the caller's back: waiting for the
   * disk would stall the debate, and a reply lost to a crash before its write is merely asked
   * for again.
   */
  put(key: string, response: ChatResponse): void {
    if (this.entries.has(key)) return;
    this.appender.append(JSON.stringify({ key, response, check: lineCheck(key, response) }) + "\n");
    this.entries.set(key, response);
  }

  /** Writes everything recorded so far, syncs and closes the file. */
  close(): Promise<void> {
    return this.appender.close();
  }
}

async function readEntries(path: string): Promise<{ entries: Map<string, ChatResponse>; damaged: number; intactBytes: number; totalBytes: number }> {
  const entries = new Map<string, ChatResponse>();
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { entries, damaged: 0, intactBytes: 0, totalBytes: 0 };
    throw error;
  }
  let damaged = 0;
  let start = 0;
  let intactBytes = 0;
  while (start < bytes.length) {
    const end = bytes.indexOf(0x0a, start);
    if (end < 0) {
      damaged++; // a last line without its newline: the write was cut short
      break;
    }
    const entry = parseLine(bytes.toString("utf8", start, end));
    if (entry) entries.set(entry.key, entry.response);
    else damaged++;
    start = end + 1;
    intactBytes = start;
  }
  return { entries, damaged, intactBytes, totalBytes: bytes.length };
}

function parseLine(line: string): { key: string; response: ChatResponse } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = lineSchema.safeParse(value);
  if (!parsed.success || parsed.data.check !== lineCheck(parsed.data.key, parsed.data.response)) return undefined;
  return { key: parsed.data.key, response: parsed.data.response };
}
