import { createRequire } from "node:module";

/** The part of better-sqlite3's API the FTS5 peer uses (the package ships no types). */
export interface SqliteStatement {
  run(...parameters: unknown[]): unknown;
  pluck(): SqliteStatement;
  all(...parameters: unknown[]): unknown[];
}

export interface SqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  transaction<T extends unknown[]>(body: (...args: T) => void): (...args: T) => void;
  close(): void;
}

type SqliteConstructor = new (path: string, options?: { readonly?: boolean }) => SqliteDatabase;

/** Opens an SQLite database with better-sqlite3 (a devDependency: benchmarks only). */
export function openSqlite(path: string, options: { readonly?: boolean } = {}): SqliteDatabase {
  const Database = createRequire(import.meta.url)("better-sqlite3") as SqliteConstructor;
  return new Database(path, options);
}
