import { z } from "zod";
import { LUCENE_ENGLISH_STOPWORDS, type AnalysisOptions } from "./analyzer.js";
import { sphinxCharsetTable } from "./sphinx-charset-table.js";

const host = z.string().min(1).regex(/^[A-Za-z0-9.:_-]+$/, "must be a host name or IP address");
const port = z.number().int().min(1).max(65535);
const tableName = z.string().regex(/^[a-z_][a-z0-9_]*$/, "must be lower-case letters, digits and _ (a SphinxQL identifier)");

/** One searchd host: where it listens and how many real-time shards it holds. */
export const searchdHostSchema = z.strictObject({
  host,
  /** SphinxQL (MySQL protocol) port: clients and bulk loading. */
  sqlPort: port,
  /** Binary API port: the distributed table reaches remote agents through it. */
  apiPort: port,
  /** Real-time shards on this host, >= 1. */
  shards: z.number().int().min(1).max(256),
  /** Directory for index files, logs and the binlog on that host. */
  dataDirectory: z.string().min(1),
});
export type SearchdHost = z.infer<typeof searchdHostSchema>;

/** A sharded layout: the first host holds the distributed table; the others are its remote agents. */
export const clusterLayoutSchema = z.strictObject({
  /** Name of the distributed table queries go to; shards are named after it. */
  table: tableName,
  hosts: z.array(searchdHostSchema).min(1),
});
export type ClusterLayout = z.infer<typeof clusterLayoutSchema>;

/** Names of the shards of host `hostIndex`: "<table>_h<host>_s<shard>". */
export function shardNames(layout: ClusterLayout, hostIndex: number): string[] {
  return Array.from({ length: layout.hosts[hostIndex]!.shards }, (_, shard) => `${layout.table}_h${hostIndex}_s${shard}`);
}

/**
 * The `--engine` address of a layout: the distributed table, plus the shards bulk loading writes
 * to (a distributed table takes no INSERTs; remote shards are named with their SphinxQL port).
 */
export function layoutEngineUrl(layout: ClusterLayout): string {
  const [main] = layout.hosts;
  const load = layout.hosts.flatMap((entry, index) =>
    shardNames(layout, index).map((name) => (index === 0 ? name : `${entry.host}:${entry.sqlPort}/${name}`)),
  );
  return `sphinxql://${main!.host}:${main!.sqlPort}/${layout.table}?load=${load.join(",")}`;
}

/** The stopwords file both engines read: Lucene's English list, one word per line. */
export function stopwordsFileText(analysis: AnalysisOptions): string {
  return analysis.stopwords === "lucene" ? LUCENE_ENGLISH_STOPWORDS.join("\n") + "\n" : "";
}

/**
 * Index settings that make the engine analyse text as our analyzer does. stopwords_unstemmed and
 * stopword_step = 0 drop stopwords before stemming without giving them positions, so field
 * lengths count the same terms; the apostrophe is ignored so "don't" and "apple's" become one
 * word, as our analyzer joins them. rt_mem_limit keeps a Sphinx 2.2 shard in its RAM chunk, where
 * the BM25F length statistics behave (see sphinxql-ranking.ts).
 */
function analysisSettings(analysis: AnalysisOptions, stopwordsPath: string): Array<[string, string]> {
  const settings: Array<[string, string]> = [
    ["charset_table", sphinxCharsetTable()],
    ["ignore_chars", "U+27, U+2019"],
    ["min_word_len", "1"],
    ["index_field_lengths", "1"],
    ["dict", "keywords"],
  ];
  if (analysis.stemmer === "porter") settings.push(["morphology", "stem_en"]);
  if (analysis.stopwords === "lucene") settings.push(["stopwords", stopwordsPath], ["stopwords_unstemmed", "1"], ["stopword_step", "0"]);
  return settings;
}

/** The document schema: the text (indexed, never stored), our id, the pointer into the corpus. */
const RT_SCHEMA: Array<[string, string]> = [
  ["rt_field", "content"],
  ["rt_attr_string", "doc_key"],
  ["rt_attr_string", "source"],
];

/**
 * sphinx.conf for Sphinx 2.2 on host `hostIndex`: its real-time shards and searchd section; the
 * first host also gets the distributed table over its local shards and every other host's.
 */
export function sphinxConf(layout: ClusterLayout, hostIndex: number, analysis: AnalysisOptions): string {
  const entry = layout.hosts[hostIndex]!;
  const directory = entry.dataDirectory;
  const settings: Array<[string, string]> = [...RT_SCHEMA, ...analysisSettings(analysis, `${directory}/stopwords.txt`), ["rt_mem_limit", "2047M"]];
  const blocks = shardNames(layout, hostIndex).map((name) => section(`index ${name}`, [["type", "rt"], ["path", `${directory}/${name}`], ...settings]));
  if (hostIndex === 0) {
    const parts: Array<[string, string]> = shardNames(layout, 0).map((name) => ["local", name]);
    layout.hosts.forEach((agent, index) => {
      if (index > 0) parts.push(["agent", `${agent.host}:${agent.apiPort}:${shardNames(layout, index).join(",")}`]);
    });
    blocks.push(section(`index ${layout.table}`, [["type", "distributed"], ...parts]));
  }
  blocks.push(
    section("searchd", [
      ["listen", `${entry.host}:${entry.sqlPort}:mysql41`],
      ["listen", `${entry.host}:${entry.apiPort}`],
      ["log", `${directory}/searchd.log`],
      ["query_log", `${directory}/query.log`],
      ["pid_file", `${directory}/searchd.pid`],
      ["binlog_path", directory],
      ["workers", "threads"],
    ]),
  );
  return `# litelong engine plan: Sphinx 2.2 host ${hostIndex} of table ${layout.table}\n\n${blocks.join("\n")}`;
}

function section(header: string, settings: Array<[string, string]>): string {
  // Long values (the charset table) are continued over lines, as sphinx.conf allows.
  const lines = settings.map(([key, value]) => `  ${key} = ${value.replaceAll(", ", ", \\\n    ")}`);
  return `${header}\n{\n${lines.join("\n")}\n}\n`;
}

/**
 * Manticore Search statements for host `hostIndex`: CREATE TABLE for its shards and, on the first
 * host, the distributed table. Run them with any MySQL client against that host's SphinxQL port.
 */
export function manticoreStatements(layout: ClusterLayout, hostIndex: number, analysis: AnalysisOptions): string {
  const entry = layout.hosts[hostIndex]!;
  const settings = analysisSettings(analysis, `${entry.dataDirectory}/stopwords.txt`)
    .filter(([key]) => key !== "dict")
    .map(([key, value]) => `${key}='${value}'`)
    .join(" ");
  const statements = shardNames(layout, hostIndex).map((name) => `CREATE TABLE ${name} (content text indexed, doc_key string, source string) ${settings};`);
  if (hostIndex === 0) {
    const parts = shardNames(layout, 0).map((name) => `local='${name}'`);
    layout.hosts.forEach((agent, index) => {
      if (index > 0) parts.push(`agent='${agent.host}:${agent.apiPort}:${shardNames(layout, index).join(",")}'`);
    });
    statements.push(`CREATE TABLE ${layout.table} type='distributed' ${parts.join(" ")};`);
  }
  return `-- litelong engine plan: Manticore host ${hostIndex} of table ${layout.table}\n${statements.join("\n")}\n`;
}
