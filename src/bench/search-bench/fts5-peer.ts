import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { diskBytes, runMeasured } from "./measured-process.js";
import { timeQueries, type BuildCost, type QueryRun, type QueryRunOptions, type SearchPeer } from "./search-peer.js";
import { openSqlite, type SqliteDatabase } from "./sqlite-database.js";

/**
 * SQLite FTS5 through better-sqlite3: `bm25()` ranking (its k1 = 1.2 and b = 0.75 are fixed
 * in SQLite; the others use the run's parameters), ORDER BY rank LIMIT k. `all` is FTS5's
 * implicit AND of quoted terms, `any` their OR. FTS5 has no stopword list.
 */
export class Fts5Peer implements SearchPeer {
  readonly name = "fts5";
  private database: SqliteDatabase | undefined;

  constructor(private readonly directory: string) {}

  async prepare(): Promise<void> {
    openSqlite(":memory:").close();
  }

  async build(corpus: string): Promise<BuildCost> {
    rmSync(this.directory, { recursive: true, force: true });
    mkdirSync(this.directory, { recursive: true });
    const path = join(this.directory, "index.sqlite");
    const cost = await runMeasured(process.execPath, [fileURLToPath(new URL("./fts5-build.js", import.meta.url)), corpus, path]);
    this.database = openSqlite(path, { readonly: true });
    return { ...cost, indexBytes: diskBytes(path), indexingThreads: 1 };
  }

  async run(queries: readonly string[], options: QueryRunOptions): Promise<QueryRun> {
    const statement = this.database!.prepare("SELECT rowid FROM documents WHERE documents MATCH ? ORDER BY rank LIMIT ?").pluck();
    const joiner = options.match === "all" ? " " : " OR ";
    return timeQueries(queries, options, (query) => {
      const expression = query.split(" ").map((word) => `"${word}"`).join(joiner);
      return statement.all(expression, options.k).map(String);
    });
  }

  async close(): Promise<void> {
    this.database?.close();
    this.database = undefined;
    rmSync(this.directory, { recursive: true, force: true });
  }
}
