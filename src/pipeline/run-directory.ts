import { readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../core/atomic-file.js";
import { RunDirectoryError } from "../core/errors.js";
import { makeDirectory } from "../core/make-directory.js";

export const STAGE_NAMES = ["taxonomy", "topics", "index", "retrieve", "pack"] as const;
export type StageName = (typeof STAGE_NAMES)[number];

const stageRecordSchema = z.object({
  status: z.literal("done"),
  fingerprint: z.string(),
  /** SHA-256 of the stage's outputs: what downstream stages fingerprint, so a redone stage with equal outputs changes nothing downstream and different outputs redo it. */
  outputDigest: z.string().optional(),
  finishedAt: z.string(),
  seconds: z.number(),
  /** The options this stage was made with (never secrets). */
  options: z.record(z.string(), z.unknown()),
  counts: z.record(z.string(), z.number()),
  /** Stage facts that are not counts (topic source, tokenizer, engine...). */
  facts: z.record(z.string(), z.string()).default({}),
  /** Set when the stage made only shard `index` of `count` (`--shard`); `unshardedFingerprint` is what the whole run's fingerprint would be from the same inputs. */
  shard: z.object({ index: z.number().int().min(0), count: z.number().int().positive(), unshardedFingerprint: z.string() }).optional(),
});
export type StageRecord = z.infer<typeof stageRecordSchema>;

const manifestSchema = z.object({
  format: z.literal("litelong-run"),
  version: z.literal(1),
  versions: z.record(z.string(), z.string()),
  /** Hash of `config`. */
  configHash: z.string(),
  /** Union of the completed stages' options; secrets excluded (they only live in the environment). */
  config: z.record(z.string(), z.unknown()),
  stages: z.partialRecord(z.enum(STAGE_NAMES), stageRecordSchema),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** The run directory layout (DESIGN.md) and its manifest. */
export class RunDirectory {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  get manifestPath(): string {
    return join(this.root, "manifest.json");
  }
  get subjectsPath(): string {
    return join(this.root, "subjects.jsonl");
  }
  get topicsPath(): string {
    return join(this.root, "topics", "topics.jsonl");
  }
  get indexDirectory(): string {
    return join(this.root, "index");
  }
  get hitsPath(): string {
    return join(this.root, "hits", "hits.jsonl");
  }
  get samplesDirectory(): string {
    return join(this.root, "samples");
  }
  get samplesIndexPath(): string {
    return join(this.root, "samples", "index.json");
  }

  async ensure(): Promise<void> {
    try {
      await makeDirectory(this.root);
    } catch (error) {
      throw new RunDirectoryError(`${this.root}: cannot create the run directory: ${(error as Error).message}`, { cause: error });
    }
  }

  /** The manifest, or undefined for a new run directory. */
  async readManifest(): Promise<Manifest | undefined> {
    let text: string;
    try {
      text = await readFile(this.manifestPath, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    const parsed = manifestSchema.safeParse(safeJsonParse(text));
    if (!parsed.success) {
      throw new RunDirectoryError(`${this.manifestPath}: not a litelong manifest (${parsed.error.issues[0]?.message ?? "invalid JSON"})`);
    }
    return parsed.data;
  }

  async writeManifest(manifest: Manifest): Promise<void> {
    await writeFileAtomic(this.manifestPath, JSON.stringify(manifest, null, 2) + "\n");
  }

  /** The completed record of a stage, or a clear error telling which command makes it. */
  async requireStage(stage: StageName, makeWith: string): Promise<StageRecord> {
    const record = (await this.readManifest())?.stages[stage];
    if (!record) throw new RunDirectoryError(`${this.root}: the ${stage} stage has not run yet; run \`litelong ${makeWith}\` first`);
    return record;
  }
}

function safeJsonParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What a downstream stage depends on: the stage's output digest (its fingerprint for older runs). */
export function dependencyKey(record: StageRecord): string {
  return record.outputDigest ?? record.fingerprint;
}

/** True when every path exists. */
export async function allExist(paths: string[]): Promise<boolean> {
  for (const path of paths) {
    try {
      await stat(path);
    } catch {
      return false;
    }
  }
  return true;
}
