import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AtomicLineWriter, writeFileAtomic } from "../../core/atomic-file.js";
import type { RealText } from "./bench-text-sources.js";
import { benchCorpusLines, type CorpusShape } from "./synthetic-corpus.js";

/** What a cached corpus was built from; a corpus is reused only when all of it matches. */
export interface CorpusManifest {
  shape: CorpusShape;
  packages: Record<string, string>;
  realFiles: number;
  realParagraphs: number;
  documents: number;
  bytes: number;
}

/** Lines are written in batches: one stream write per line costs more than making the line. */
const LINES_PER_WRITE = 2000;

/**
 * The benchmark corpus for `shape`, built from `realText` into `directory` (e.g. bench-data/)
 * unless a copy with the same shape and source package versions is already there.
 */
export async function ensureBenchCorpus(directory: string, realText: RealText, shape: CorpusShape, log: (line: string) => void): Promise<{ path: string; manifest: CorpusManifest }> {
  const path = join(directory, `corpus-seed${shape.seed}-${shape.bytes}-novel${shape.novelWordRate}.jsonl`);
  const manifestPath = `${path}.json`;
  if (existsSync(path) && existsSync(manifestPath)) {
    const cached = JSON.parse(readFileSync(manifestPath, "utf8")) as CorpusManifest;
    if (JSON.stringify(cached.packages) === JSON.stringify(realText.packages)) return { path, manifest: cached };
  }
  log(`building ${path} from ${realText.files.length} real text files`);
  const writer = await AtomicLineWriter.create(path);
  let documents = 0;
  let bytes = 0;
  try {
    let batch: string[] = [];
    for (const line of benchCorpusLines(realText.files, shape)) {
      batch.push(line);
      documents++;
      bytes += Buffer.byteLength(line) + 1;
      if (batch.length === LINES_PER_WRITE) {
        await writer.writeLine(batch.join("\n"));
        batch = [];
      }
    }
    if (batch.length > 0) await writer.writeLine(batch.join("\n"));
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  const manifest: CorpusManifest = {
    shape,
    packages: realText.packages,
    realFiles: realText.files.length,
    realParagraphs: realText.files.reduce((sum, file) => sum + file.paragraphs.length, 0),
    documents,
    bytes,
  };
  await writeFileAtomic(manifestPath, JSON.stringify(manifest, null, 2) + "\n");
  return { path, manifest };
}
