import { ConfigError } from "../core/errors.js";

/** One table on one searchd, reached over SphinxQL. */
export interface SphinxQlTable {
  host: string;
  port: number;
  table: string;
}

/** Where a cluster lives: the table queries go to and the real-time tables bulk loading fills. */
export interface SphinxQlAddress {
  query: SphinxQlTable;
  /** Real-time tables documents are spread over (round robin); just `query` when it is one. */
  load: SphinxQlTable[];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True when an `--engine` value names a SphinxQL cluster rather than the embedded engine. */
export function isSphinxQlUrl(value: string): boolean {
  return value.startsWith("sphinxql://");
}

/**
 * Parses `sphinxql://host:9306/<table>[?load=<shard>,<shard>,...]`. A load entry is a table on
 * the same searchd (`name`) or on another one (`host:port/name`); without `load` the table
 * itself must be a real-time table.
 */
export function parseSphinxQlUrl(value: string): SphinxQlAddress {
  const problem = (message: string) => new ConfigError([`engine: ${message} in "${value}" (expected sphinxql://host:port/table[?load=shard,host:port/shard,...])`]);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw problem("not a URL");
  }
  if (url.protocol !== "sphinxql:") throw problem(`unknown scheme "${url.protocol}"`);
  const table = url.pathname.replace(/^\//, "");
  if (!IDENTIFIER.test(table)) throw problem("missing or invalid table name");
  if (url.hostname === "") throw problem("missing host");
  const query: SphinxQlTable = { host: url.hostname, port: url.port === "" ? 9306 : Number(url.port), table };
  const unknown = [...url.searchParams.keys()].filter((key) => key !== "load");
  if (unknown.length > 0) throw problem(`unknown parameter "${unknown[0]}"`);
  const loadList = url.searchParams.get("load");
  if (loadList === null) return { query, load: [query] };
  const load = loadList.split(",").map((entry) => {
    const remote = /^([A-Za-z0-9.-]+):(\d+)\/(.+)$/.exec(entry);
    const shard: SphinxQlTable = remote ? { host: remote[1]!, port: Number(remote[2]), table: remote[3]! } : { host: query.host, port: query.port, table: entry };
    if (!IDENTIFIER.test(shard.table) || !(shard.port >= 1 && shard.port <= 65535)) throw problem(`bad load entry "${entry}"`);
    return shard;
  });
  return { query, load };
}

/** "host:port/table" for messages. */
export function describeTable(table: SphinxQlTable): string {
  return `${table.host}:${table.port}/${table.table}`;
}
