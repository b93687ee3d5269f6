import { createWriteStream, type WriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { once } from "node:events";
import { join } from "node:path";
import { createGzip, type Gzip } from "node:zlib";
import { z } from "zod";
import { temporaryPathFor, writeFileAtomic } from "../../core/atomic-file.js";
import { fileDigest } from "../../core/file-digest.js";
import { makeDirectory } from "../../core/make-directory.js";
import type { Sample } from "../../core/records.js";

export const jsonlShardsIndexSchema = z.object({
  format: z.literal("litelong-jsonl"),
  version: z.literal(1),
  compression: z.enum(["none", "gzip"]),
  /** False for the provenance sidecar of MDS-only runs (sample records without `text`). */
  text: z.boolean(),
  samples: z.number().int().nonnegative(),
  shards: z.array(z.object({ file: z.string(), samples: z.number().int(), sha256: z.string() })),
});
export type JsonlShardsIndex = z.infer<typeof jsonlShardsIndexSchema>;

export interface JsonlWriterOptions {
  shardSamples: number;
  compression: "none" | "gzip";
  /** Write the sample text (true) or provenance only (false). */
  text: boolean;
}

interface OpenShard {
  file: string;
  temporary: string;
  fileStream: WriteStream;
  sink: WriteStream | Gzip;
  samples: number;
}

/**
 * Writes samples as JSON lines into numbered shards (optionally gzip), each renamed into place
 * when complete, and an index.json listing shards with their SHA-256 so readers detect damage.
 */
export class JsonlSampleWriter {
  private shard: OpenShard | undefined;
  private readonly shards: JsonlShardsIndex["shards"] = [];

  constructor(
    private readonly directory: string,
    private readonly options: JsonlWriterOptions,
  ) {}

  async write(sample: Sample): Promise<void> {
    const shard = this.shard ?? (this.shard = await this.openShard());
    const record = this.options.text ? sample : { ...sample, text: undefined };
    if (!shard.sink.write(JSON.stringify(record) + "\n")) await once(shard.sink, "drain");
    shard.samples++;
    if (shard.samples >= this.options.shardSamples) await this.closeShard();
  }

  /** Closes the last shard and writes index.json; returns the index. */
  async finish(): Promise<JsonlShardsIndex> {
    await this.closeShard();
    const index: JsonlShardsIndex = {
      format: "litelong-jsonl",
      version: 1,
      compression: this.options.compression,
      text: this.options.text,
      samples: this.shards.reduce((sum, shard) => sum + shard.samples, 0),
      shards: this.shards,
    };
    await writeFileAtomic(join(this.directory, "index.json"), JSON.stringify(index, null, 2) + "\n");
    return index;
  }

  async abort(): Promise<void> {
    const shard = this.shard;
    this.shard = undefined;
    if (!shard) return;
    shard.sink.destroy();
    shard.fileStream.destroy();
    await rm(shard.temporary, { force: true });
  }

  private async openShard(): Promise<OpenShard> {
    await makeDirectory(this.directory);
    const extension = this.options.compression === "gzip" ? ".jsonl.gz" : ".jsonl";
    const file = `part-${String(this.shards.length).padStart(5, "0")}${extension}`;
    const temporary = temporaryPathFor(join(this.directory, file));
    const fileStream = createWriteStream(temporary);
    await once(fileStream, "open");
    let sink: WriteStream | Gzip = fileStream;
    if (this.options.compression === "gzip") {
      const gzip = createGzip({ level: 6 });
      gzip.pipe(fileStream);
      sink = gzip;
    }
    return { file, temporary, fileStream: fileStream, sink, samples: 0 };
  }

  private async closeShard(): Promise<void> {
    const shard = this.shard;
    if (!shard) return;
    this.shard = undefined;
    const closed = once(shard.fileStream, "close");
    shard.sink.end();
    await closed;
    const path = join(this.directory, shard.file);
    await rename(shard.temporary, path);
    this.shards.push({ file: shard.file, samples: shard.samples, sha256: await fileDigest(path) });
  }
}
