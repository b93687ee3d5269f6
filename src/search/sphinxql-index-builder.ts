import { setTimeout as sleep } from "node:timers/promises";
import type { CorpusDocument } from "../core/records.js";
import type { AnalysisOptions } from "./analyzer.js";
import type { SphinxQlAddress, SphinxQlTable } from "./sphinxql-address.js";
import { SphinxQlError, withSphinxQl } from "./sphinxql-connection.js";
import { SphinxQlEngine } from "./sphinxql-engine.js";
import type { IdfStatistics } from "./sphinxql-ranking.js";

/** Bulk-loading settings; the defaults suit a searchd on the same network. */
export interface BulkLoadOptions {
  /** Documents per INSERT statement. Default 500. */
  batchDocuments?: number;
  /** Bytes of text per INSERT at most, under searchd's max_allowed_packet (8 MB). Default 4 MB. */
  batchBytes?: number;
  /** INSERTs in flight per shard before add() waits (back-pressure). Default 2. */
  inFlightPerShard?: number;
  /** Attempts per batch on connection failures, with doubling delays from retryDelayMs. Default 5. */
  attempts?: number;
  retryDelayMs?: number;
  idf?: IdfStatistics;
}

type Row = [id: number, text: string, docKey: string, source: string];
type Run = (sql: string, values?: unknown[]) => Promise<unknown>;

/** One real-time shard being filled: its pending batch and the INSERTs on their way. */
interface ShardLoad {
  table: SphinxQlTable;
  rows: Row[];
  bytes: number;
  inFlight: Set<Promise<void>>;
  run: Run;
}

/**
 * Loads a corpus into the cluster's real-time shards: document i (corpus order) gets id i + 1
 * and goes to shard i mod S, in multi-row REPLACE batches (idempotent, so a batch retried after a
 * lost reply does no harm). add() waits while a shard has too many batches in flight.
 */
export class SphinxQlIndexBuilder {
  private readonly seen = new Set<string>();
  private readonly options: Required<Omit<BulkLoadOptions, "idf">>;
  private shards: ShardLoad[] = [];
  private closers: Array<() => void> = [];
  private failure: unknown;

  private constructor(
    private readonly address: SphinxQlAddress,
    private readonly analysis: AnalysisOptions,
    options: BulkLoadOptions,
  ) {
    this.options = { batchDocuments: 500, batchBytes: 4 << 20, inFlightPerShard: 2, attempts: 5, retryDelayMs: 200, ...options };
    this.idf = options.idf ?? "local";
  }

  private readonly idf: IdfStatistics;

  /** Connects to every shard and empties it (a load always starts from nothing). */
  static async start(address: SphinxQlAddress, analysis: AnalysisOptions, options: BulkLoadOptions = {}): Promise<SphinxQlIndexBuilder> {
    const builder = new SphinxQlIndexBuilder(address, analysis, options);
    try {
      for (const table of address.load) builder.shards.push(await builder.connect(table));
    } catch (error) {
      builder.closeAll();
      throw error;
    }
    return builder;
  }

  /** Keeps each shard's connections open until finish(), so batches do not pay for connecting. */
  private connect(table: SphinxQlTable): Promise<ShardLoad> {
    return new Promise((resolve, reject) => {
      const closed = withSphinxQl(table, this.options.inFlightPerShard, async (run) => {
        await run(`TRUNCATE RTINDEX ${table.table}`);
        await new Promise<void>((release) => {
          this.closers.push(release);
          resolve({ table, rows: [], bytes: 0, inFlight: new Set(), run });
        });
      });
      closed.catch(reject);
    });
  }

  /** Adds a document; false (ignored) when its id was added before. Rejects once a batch has failed for good. */
  async add(document: CorpusDocument): Promise<boolean> {
    if (this.failure) throw this.failure;
    if (this.seen.has(document.id)) return false;
    const order = this.seen.size;
    this.seen.add(document.id);
    const shard = this.shards[order % this.shards.length]!;
    shard.rows.push([order + 1, document.text, document.id, JSON.stringify(document.source)]);
    shard.bytes += document.text.length * 3;
    if (shard.rows.length >= this.options.batchDocuments || shard.bytes >= this.options.batchBytes) await this.flush(shard);
    return true;
  }

  /** Sends the remaining batches, waits for all, and opens the engine over the loaded cluster. */
  async finish(): Promise<SphinxQlEngine> {
    try {
      for (const shard of this.shards) await this.flush(shard);
      for (const shard of this.shards) await Promise.all(shard.inFlight);
      if (this.failure) throw this.failure;
    } finally {
      this.closeAll();
    }
    return SphinxQlEngine.open(this.address, this.analysis, this.idf);
  }

  /** Gives up: closes every connection without waiting for batches. */
  abort(): void {
    this.closeAll();
  }

  private closeAll(): void {
    for (const close of this.closers) close();
    this.closers = [];
  }

  private async flush(shard: ShardLoad): Promise<void> {
    while (shard.inFlight.size >= this.options.inFlightPerShard) await Promise.race(shard.inFlight);
    if (this.failure) throw this.failure;
    if (shard.rows.length === 0) return;
    const rows = shard.rows;
    shard.rows = [];
    shard.bytes = 0;
    const sending: Promise<void> = this.send(shard, rows)
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => shard.inFlight.delete(sending));
    shard.inFlight.add(sending);
  }

  private async send(shard: ShardLoad, rows: Row[]): Promise<void> {
    const sql = `REPLACE INTO ${shard.table.table} (id, content, doc_key, source) VALUES ${rows.map(() => "(?, ?, ?, ?)").join(", ")}`;
    const values = rows.flat();
    for (let attempt = 1; ; attempt++) {
      try {
        await shard.run(sql, values);
        return;
      } catch (error) {
        const retryable = error instanceof SphinxQlError && error.retryable;
        if (!retryable || attempt >= this.options.attempts) {
          throw new SphinxQlError(shard.table, `batch of ${rows.length} documents (ids ${rows[0]![0]}..${rows.at(-1)![0]}) failed after ${attempt} attempt(s): ${(error as Error).message}`, false, { cause: error });
        }
        await sleep(this.options.retryDelayMs * 2 ** (attempt - 1));
      }
    }
  }
}
