import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../../core/atomic-file.js";
import { CorruptFileError } from "../../core/corrupt-file-error.js";
import { analysisOptionsSchema } from "../analyzer.js";
import { SEGMENT_FORMAT_VERSION } from "./segment-file.js";

/** The file naming an index's segments in order; rewritten atomically, so a reader sees one whole index. */
export const MANIFEST_FILE = "segments.json";

const segmentEntrySchema = z.strictObject({
  file: z.string(),
  docCount: z.number().int().nonnegative(),
  totalLength: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
});
export type SegmentEntry = z.infer<typeof segmentEntrySchema>;

const manifestSchema = z.strictObject({
  /** The segment format the index was written at; each segment file also records its own, and older ones still open. */
  formatVersion: z.number().int().min(1).max(SEGMENT_FORMAT_VERSION),
  analysis: analysisOptionsSchema,
  /** Segments in corpus order: document numbers continue from one to the next. */
  segments: z.array(segmentEntrySchema),
  documentCount: z.number().int().nonnegative(),
  totalLength: z.number().int().nonnegative(),
  /** Distinct terms over all segments. */
  termCount: z.number().int().nonnegative(),
});
export type IndexManifest = z.infer<typeof manifestSchema>;

export async function writeManifest(directory: string, manifest: IndexManifest): Promise<void> {
  await writeFileAtomic(join(directory, MANIFEST_FILE), JSON.stringify(manifestSchema.parse(manifest), null, 2) + "\n");
}

export async function readManifest(directory: string): Promise<IndexManifest> {
  const path = join(directory, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new CorruptFileError(`${path}: missing (no index here)`);
    throw error;
  }
  try {
    return manifestSchema.parse(JSON.parse(text));
  } catch (error) {
    throw new CorruptFileError(`${path}: not a litelong index manifest of format 1 to ${SEGMENT_FORMAT_VERSION} (${(error as Error).message.split("\n")[0]})`, { cause: error });
  }
}
