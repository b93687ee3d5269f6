import { createHash, type Hash } from "node:crypto";
import { join } from "node:path";
import { z } from "zod";
import { AtomicLineWriter, writeFileAtomic } from "../../core/atomic-file.js";
import type { Sample } from "../../core/records.js";

/** Samples per JSONL shard (a 128K-token sample is ~0.5 MB of text). */
export const SAMPLES_PER_SHARD = 256;

export const samplesIndexSchema = z.object({
  format: z.literal("litelong-samples-jsonl"),
  version: z.literal(1),
  tokenizer: z.string(),
  length: z.number().int().positive(),
  samples: z.number().int().nonnegative(),
  tokens: z.number().int().nonnegative(),
  shards: z.array(z.object({ file: z.string(), samples: z.number().int(), tokens: z.number().int(), sha256: z.string() })),
});
export type SamplesIndex = z.infer<typeof samplesIndexSchema>;

interface OpenShard {
  writer: AtomicLineWriter;
  hash: Hash;
  file: string;
  samples: number;
  tokens: number;
}

/**
 * Writes samples as JSON lines into numbered shards, each renamed into place when full, and an
 * index.json listing shards with their SHA-256 so readers can detect damage.
 */
export class JsonlSampleWriter {
  private shard: OpenShard | undefined;
  private readonly shards: SamplesIndex["shards"] = [];

  constructor(
    private readonly directory: string,
    private readonly tokenizer: string,
    private readonly length: number,
  ) {}

  async write(sample: Sample): Promise<void> {
    const shard = this.shard ?? (this.shard = await this.openShard());
    const line = JSON.stringify(sample);
    shard.hash.update(line + "\n");
    await shard.writer.writeLine(line);
    shard.samples++;
    shard.tokens += sample.tokenCount;
    if (shard.samples >= SAMPLES_PER_SHARD) await this.closeShard();
  }

  /** Closes the last shard and writes index.json; returns the index. */
  async finish(): Promise<SamplesIndex> {
    await this.closeShard();
    const index: SamplesIndex = {
      format: "litelong-samples-jsonl",
      version: 1,
      tokenizer: this.tokenizer,
      length: this.length,
      samples: this.shards.reduce((sum, shard) => sum + shard.samples, 0),
      tokens: this.shards.reduce((sum, shard) => sum + shard.tokens, 0),
      shards: this.shards,
    };
    await writeFileAtomic(join(this.directory, "index.json"), JSON.stringify(index, null, 2) + "\n");
    return index;
  }

  async abort(): Promise<void> {
    await this.shard?.writer.abort();
    this.shard = undefined;
  }

  private async openShard(): Promise<OpenShard> {
    const file = `part-${String(this.shards.length).padStart(5, "0")}.jsonl`;
    const writer = await AtomicLineWriter.create(join(this.directory, file));
    return { writer, hash: createHash("sha256"), file, samples: 0, tokens: 0 };
  }

  private async closeShard(): Promise<void> {
    const shard = this.shard;
    if (!shard) return;
    this.shard = undefined;
    await shard.writer.commit();
    this.shards.push({ file: shard.file, samples: shard.samples, tokens: shard.tokens, sha256: shard.hash.digest("hex") });
  }
}
