import { createPool, type Pool, type RowDataPacket } from "mysql2/promise";
import { LitelongError } from "../core/errors.js";
import { describeTable, type SphinxQlTable } from "./sphinxql-address.js";

/** A SphinxQL statement the engine refused, or a host that could not be reached. */
export class SphinxQlError extends LitelongError {
  constructor(
    readonly table: SphinxQlTable,
    message: string,
    /** True for connection failures and timeouts: trying again later may succeed. */
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(`sphinxql ${describeTable(table)}: ${message}`, options);
  }
}

const RETRYABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "PROTOCOL_CONNECTION_LOST", "EHOSTUNREACH"]);

/**
 * Opens up to `connections` SphinxQL connections to the searchd serving `table` for the length of
 * `work`, then closes them, so no caller has to remember to (an open pool would keep the process
 * alive).
 */
export async function withSphinxQl<T>(table: SphinxQlTable, connections: number, work: (run: (sql: string, values?: unknown[]) => Promise<RowDataPacket[]>) => Promise<T>): Promise<T> {
  const pool: Pool = createPool({ host: table.host, port: table.port, connectionLimit: connections, connectTimeout: 10_000 });
  const run = async (sql: string, values?: unknown[]) => {
    try {
      const [rows] = await pool.query<RowDataPacket[]>(sql, values);
      return rows;
    } catch (error) {
      throw toSphinxQlError(table, error);
    }
  };
  try {
    return await work(run);
  } finally {
    await pool.end();
  }
}

function toSphinxQlError(table: SphinxQlTable, error: unknown): SphinxQlError {
  const code = (error as { code?: string }).code ?? "";
  const message = (error as Error).message.replace(/\0+$/, "").trim();
  return new SphinxQlError(table, message || code, RETRYABLE_CODES.has(code), { cause: error });
}
