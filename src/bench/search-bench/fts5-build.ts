/**
 * Builds the SQLite FTS5 peer's index from the benchmark JSONL (run as its own process so its
 * time and peak memory are measured alone):
 *
 *   node dist/bench/search-bench/fts5-build.js <corpus.jsonl> <index.sqlite>
 *
 * Contentless table (no copy of the text, like the other engines), Porter stemming over the
 * unicode61 tokenizer with diacritics removed; rowid = the corpus id. Ends with FTS5's
 * 'optimize' so queries read one merged b-tree, as the other engines read merged indexes.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { openSqlite } from "./sqlite-database.js";

const [corpus, databasePath] = process.argv.slice(2);
if (!corpus || !databasePath) {
  process.stderr.write("usage: fts5-build.js <corpus.jsonl> <index.sqlite>\n");
  process.exit(2);
}
const ROWS_PER_TRANSACTION = 10_000;
const database = openSqlite(databasePath);
database.exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;");
database.exec("CREATE VIRTUAL TABLE documents USING fts5(text, content='', tokenize='porter unicode61 remove_diacritics 2')");
const insert = database.prepare("INSERT INTO documents(rowid, text) VALUES (?, ?)");
const insertAll = database.transaction((rows: Array<[number, string]>) => {
  for (const [id, text] of rows) insert.run(id, text);
});
let rows: Array<[number, string]> = [];
let lineNumber = 0;
for await (const line of createInterface({ input: createReadStream(corpus), crlfDelay: Infinity })) {
  lineNumber++;
  if (line.length === 0) continue;
  const record = JSON.parse(line) as { id: string; text: string };
  const id = Number(record.id);
  if (!Number.isSafeInteger(id)) throw new Error(`${corpus}:${lineNumber}: id "${record.id}" is not an integer`);
  rows.push([id, record.text]);
  if (rows.length === ROWS_PER_TRANSACTION) {
    insertAll(rows);
    rows = [];
  }
}
insertAll(rows);
database.exec("INSERT INTO documents(documents) VALUES ('optimize')");
database.close();
