import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../../core/atomic-file.js";
import { CorruptFileError } from "../../core/corrupt-file-error.js";
import { fileDigest } from "../../core/file-digest.js";
import type { Sample } from "../../core/records.js";
import { jsonlShardsIndexSchema, JsonlSampleWriter } from "./jsonl-sample-writer.js";
import { readMdsIndex } from "./mds-reader.js";
import { MdsSampleWriter } from "./mds-writer.js";

export const samplesIndexSchema = z.object({
  format: z.literal("litelong-samples"),
  version: z.literal(2),
  tokenizer: z.string(),
  length: z.number().int().positive(),
  boundaryTokens: z.enum(["none", "bos", "eos", "both"]),
  samples: z.number().int().nonnegative(),
  shortSamples: z.number().int().nonnegative(),
  tokens: z.number().int().nonnegative(),
  /** Folders under samples/: jsonl (sample text + provenance) and/or mds (+ provenance). */
  formats: z.array(z.enum(["jsonl", "mds"])),
});
export type SamplesIndex = z.infer<typeof samplesIndexSchema>;

export interface SampleOutputsOptions {
  directory: string;
  formats: Array<"jsonl" | "mds">;
  shardSamples: number;
  compression: "none" | "gzip";
  tokenizer: string;
  length: number;
  boundaryTokens: SamplesIndex["boundaryTokens"];
}

/**
 * Sends every sample to each requested format: samples/jsonl/ (text + provenance) and
 * samples/mds/ (MosaicML shards; its provenance, without text, in samples/mds/provenance/),
 * then writes samples/index.json. The order of samples is the same in every format.
 */
export class SampleOutputs {
  private readonly jsonl: JsonlSampleWriter | undefined;
  private readonly mds: MdsSampleWriter | undefined;
  private readonly provenance: JsonlSampleWriter | undefined;
  private samples = 0;
  private shortSamples = 0;
  private tokens = 0;

  constructor(private readonly options: SampleOutputsOptions) {
    const { directory, shardSamples, compression } = options;
    if (options.formats.includes("jsonl")) this.jsonl = new JsonlSampleWriter(join(directory, "jsonl"), { shardSamples, compression, text: true });
    if (options.formats.includes("mds")) {
      this.mds = new MdsSampleWriter(join(directory, "mds"));
      this.provenance = new JsonlSampleWriter(join(directory, "mds", "provenance"), { shardSamples: 4096, compression: "none", text: false });
    }
  }

  async write(sample: Sample, ids: Uint32Array): Promise<void> {
    await this.jsonl?.write(sample);
    if (this.mds) {
      await this.mds.write({ inputIds: ids, indices: mdsIndices(sample, ids.length), length: ids.length, domain: sample.domain });
      await this.provenance!.write(sample);
    }
    this.samples++;
    this.tokens += sample.tokenCount;
    if (sample.short) this.shortSamples++;
  }

  async finish(): Promise<SamplesIndex> {
    await this.jsonl?.finish();
    await this.mds?.finish();
    await this.provenance?.finish();
    const index: SamplesIndex = {
      format: "litelong-samples",
      version: 2,
      tokenizer: this.options.tokenizer,
      length: this.options.length,
      boundaryTokens: this.options.boundaryTokens,
      samples: this.samples,
      shortSamples: this.shortSamples,
      tokens: this.tokens,
      formats: this.options.formats,
    };
    await writeFileAtomic(join(this.options.directory, "index.json"), JSON.stringify(index, null, 2) + "\n");
    return index;
  }

  async abort(): Promise<void> {
    await this.jsonl?.abort();
    await this.mds?.abort();
    await this.provenance?.abort();
  }
}

/**
 * ProLong trains each `indices` range as its own sequence (no attention across ranges). A
 * NExtLong sample must be one sequence, or the model could never look past the distractors to
 * the earlier chunks of its document; its spans are in the provenance records.
 */
export function mdsIndices(sample: Sample, tokens: number): Array<[number, number]> {
  return sample.spans ? [[0, tokens]] : sample.docTokenSpans;
}

/**
 * Checks that every shard listed under `directory` (samples/) still has the SHA-256 its format's
 * index.json recorded; throws CorruptFileError naming the first damaged or unreadable file.
 * Reads every shard once: the price of never trusting a truncated shard.
 */
export async function checkSampleShards(directory: string): Promise<void> {
  const index = samplesIndexSchema.parse(JSON.parse(await readFile(join(directory, "index.json"), "utf8")));
  const shards: Array<{ path: string; sha256: string | undefined }> = [];
  const jsonlFolders = [...(index.formats.includes("jsonl") ? ["jsonl"] : []), ...(index.formats.includes("mds") ? [join("mds", "provenance")] : [])];
  try {
    for (const folder of jsonlFolders) {
      const listing = jsonlShardsIndexSchema.parse(JSON.parse(await readFile(join(directory, folder, "index.json"), "utf8")));
      for (const shard of listing.shards) shards.push({ path: join(directory, folder, shard.file), sha256: shard.sha256 });
    }
    if (index.formats.includes("mds")) {
      for (const entry of (await readMdsIndex(join(directory, "mds"))).shards) {
        shards.push({ path: join(directory, "mds", entry.raw_data.basename), sha256: entry.raw_data.hashes["sha256"] });
      }
    }
  } catch (error) {
    throw new CorruptFileError(`${directory}: a shard listing is unreadable (${(error as Error).message.split("\n")[0]})`, { cause: error });
  }
  for (const shard of shards) {
    if ((await fileDigest(shard.path)) !== shard.sha256) throw new CorruptFileError(`${shard.path}: SHA-256 differs from its index.json (truncated or corrupt)`);
  }
}
