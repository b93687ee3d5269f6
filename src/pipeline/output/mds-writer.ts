import { createHash } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { temporaryPathFor, writeFileAtomic } from "../../core/atomic-file.js";
import { LitelongError } from "../../core/errors.js";
import { makeDirectory } from "../../core/make-directory.js";
import {
  MDS_DEFAULT_SIZE_LIMIT_BYTES,
  MDS_INDEX_FILE,
  MDS_MAX_SHARD_BYTES,
  mdsShardConfig,
  mdsShardFileName,
  pythonJsonText,
  type MdsShardConfig,
  type PythonJsonValue,
} from "./mds-format.js";
import { checkMdsSample, encodeMdsSample, type MdsSample } from "./mds-sample-encoding.js";

/** Options of {@link MdsSampleWriter}. */
export interface MdsSampleWriterOptions {
  /**
   * Shard size limit in bytes, streaming's `size_limit`: a shard is closed before a sample
   * would take it past the limit. Integer in [1, 2^32 - 1]; default 1 << 26 (64 MiB, streaming's
   * default). A sample larger than the limit gets a shard of its own. Shards are built in
   * memory, so this is also the writer's peak buffer size.
   */
  sizeLimitBytes?: number;
}

/** One shard written, as {@link MdsSampleWriter.finish} reports it. */
export interface MdsShardSummary {
  /** Basename inside the output directory, e.g. `shard.00000.mds`. */
  file: string;
  samples: number;
  bytes: number;
  /** Hex SHA-256 of the shard file (also in index.json under raw_data.hashes.sha256). */
  sha256: string;
}

/** What {@link MdsSampleWriter.finish} wrote. */
export interface MdsWriteSummary {
  samples: number;
  shards: MdsShardSummary[];
}

/**
 * Writes samples as a MosaicML Streaming MDS dataset (shard.NNNNN.mds files + index.json)
 * with the columns ProLong trains on: domain (str), indices (ndarray:uint32, shape (n, 2)),
 * input_ids (ndarray:uint32), length (int). The bytes are those streaming's MDSWriter writes
 * for the same samples with `hashes=['sha256']` and no compression, so the same samples always
 * give the same files. Each shard and the index are written to a temporary name and renamed.
 */
export class MdsSampleWriter {
  private readonly sizeLimitBytes: number;
  private readonly config: MdsShardConfig;
  private readonly configBytes: Buffer;
  private pending: Buffer[] = [];
  /** Streaming's running shard size: 8 + config bytes, plus 4 + sample bytes per sample. */
  private pendingBytes: number;
  private readonly written: MdsShardSummary[] = [];
  private samplesWritten = 0;
  private state: "open" | "finished" | "aborted" = "open";
  private staleIndexRemoved = false;

  constructor(
    private readonly directory: string,
    options: MdsSampleWriterOptions = {},
  ) {
    this.sizeLimitBytes = options.sizeLimitBytes ?? MDS_DEFAULT_SIZE_LIMIT_BYTES;
    if (!Number.isInteger(this.sizeLimitBytes) || this.sizeLimitBytes < 1 || this.sizeLimitBytes > MDS_MAX_SHARD_BYTES) {
      throw new LitelongError(`MDS sizeLimitBytes must be an integer in [1, ${MDS_MAX_SHARD_BYTES}], got ${this.sizeLimitBytes}`);
    }
    this.config = mdsShardConfig(this.sizeLimitBytes);
    this.configBytes = Buffer.from(pythonJsonText(this.config), "utf8");
    this.pendingBytes = this.emptyShardBytes();
  }

  /** Adds one sample; may first write out the shard it would overflow. */
  async write(sample: MdsSample): Promise<void> {
    this.requireOpen();
    const sampleNumber = this.samplesWritten + this.pending.length;
    checkMdsSample(sample, sampleNumber);
    const encoded = encodeMdsSample(sample);
    const added = 4 + encoded.length;
    // Streaming flushes even an empty shard here; we never write empty shards.
    if (this.pending.length > 0 && this.sizeLimitBytes < this.pendingBytes + added) await this.flushShard();
    if (this.pendingBytes + added > MDS_MAX_SHARD_BYTES) {
      throw new LitelongError(`MDS sample ${sampleNumber} is ${encoded.length} bytes: too large for a shard's uint32 offsets`);
    }
    this.pending.push(encoded);
    this.pendingBytes += added;
  }

  /** Writes the last shard and index.json (atomically, last); returns what was written. */
  async finish(): Promise<MdsWriteSummary> {
    this.requireOpen();
    if (this.pending.length > 0) await this.flushShard();
    await this.removeStaleIndex();
    const shards = this.written.map((shard) => this.indexEntry(shard));
    await writeFileAtomic(join(this.directory, MDS_INDEX_FILE), pythonJsonText({ shards, version: 2 }));
    this.state = "finished";
    return { samples: this.samplesWritten, shards: this.written.map((shard) => ({ ...shard })) };
  }

  /** Drops buffered samples and removes the shards this writer wrote (useless without an index). */
  async abort(): Promise<void> {
    if (this.state !== "open") return;
    this.state = "aborted";
    this.pending = [];
    const files = [...this.written.map((shard) => shard.file), mdsShardFileName(this.written.length)];
    for (const file of files) {
      const path = join(this.directory, file);
      await rm(path, { force: true });
      await rm(temporaryPathFor(path), { force: true });
    }
  }

  private async flushShard(): Promise<void> {
    await this.removeStaleIndex();
    const file = mdsShardFileName(this.written.length);
    const bytes = this.encodeShard();
    await writeFileAtomic(join(this.directory, file), bytes);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    this.written.push({ file, samples: this.pending.length, bytes: bytes.length, sha256 });
    this.samplesWritten += this.pending.length;
    this.pending = [];
    this.pendingBytes = this.emptyShardBytes();
  }

  /** [sample count: uint32][count + 1 absolute uint32 offsets][config JSON][samples]. */
  private encodeShard(): Buffer {
    const table = Buffer.alloc(4 + 4 * (this.pending.length + 1));
    let offset = table.length + this.configBytes.length;
    let at = table.writeUInt32LE(this.pending.length, 0);
    at = table.writeUInt32LE(offset, at);
    for (const sample of this.pending) {
      offset += sample.length;
      at = table.writeUInt32LE(offset, at);
    }
    return Buffer.concat([table, this.configBytes, ...this.pending]);
  }

  /** One shards[] entry of index.json, exactly as streaming's JointWriter records it. */
  private indexEntry(shard: MdsShardSummary): PythonJsonValue {
    return {
      ...this.config,
      raw_data: { basename: shard.file, bytes: shard.bytes, hashes: { sha256: shard.sha256 } },
      samples: shard.samples,
      zip_data: null,
    };
  }

  /** An old index must never describe new shards, so it goes before the first shard does. */
  private async removeStaleIndex(): Promise<void> {
    if (this.staleIndexRemoved) return;
    await makeDirectory(this.directory);
    await rm(join(this.directory, MDS_INDEX_FILE), { force: true });
    this.staleIndexRemoved = true;
  }

  private emptyShardBytes(): number {
    return 8 + this.configBytes.length;
  }

  private requireOpen(): void {
    if (this.state !== "open") throw new LitelongError(`MDS writer for ${this.directory} is already ${this.state}`);
  }
}
