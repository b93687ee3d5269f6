import type { FileHandle } from "node:fs/promises";

/**
 * Appends records to an open file behind the caller's back: records queue in memory and go
 * out one write per batch, with an fsync at most every `syncIntervalMs` (bounding what a power
 * cut loses). Used by append-only caches, where a record lost to a crash is merely recomputed.
 * A failed write is thrown by the next append or by close.
 */
export class BatchedAppender {
  private pending: Array<string | Uint8Array> = [];
  private writing: Promise<void> | undefined;
  private writeError: unknown;
  private syncTimer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> | undefined;

  constructor(
    private readonly handle: FileHandle,
    private readonly syncIntervalMs = 1000,
  ) {}

  append(record: string | Uint8Array): void {
    if (this.writeError) throw this.writeError;
    this.pending.push(record);
    this.writing ??= this.drain();
    this.syncTimer ??= setTimeout(() => (this.syncing = this.sync()), this.syncIntervalMs);
  }

  /** Writes everything appended so far, syncs and closes the file. */
  async close(): Promise<void> {
    if (this.syncTimer) clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
    await this.writing;
    await this.syncing;
    await this.handle.datasync();
    await this.handle.close();
    if (this.writeError) throw this.writeError;
  }

  /** Appends pending records, one write per batch, until none are left. */
  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.every((record) => typeof record === "string") ? this.pending.join("") : Buffer.concat(this.pending.map(toBytes));
        this.pending = [];
        await this.handle.appendFile(batch, "utf8");
      }
    } catch (error) {
      this.writeError = error;
    } finally {
      this.writing = undefined;
    }
  }

  private async sync(): Promise<void> {
    this.syncTimer = undefined;
    try {
      await this.handle.datasync();
    } catch (error) {
      this.writeError ??= error;
    }
  }
}

function toBytes(record: string | Uint8Array): Uint8Array {
  return typeof record === "string" ? Buffer.from(record, "utf8") : record;
}
