import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createReadStream, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { createConnection, type Connection } from "mysql2/promise";
import { AtomicLineWriter } from "../../core/atomic-file.js";
import { ensureDebianPackage, installedVersion } from "./debian-packages.js";
import { diskBytes, runMeasured } from "./measured-process.js";
import { timeQueries, type BuildCost, type QueryRun, type QueryRunOptions, type SearchPeer } from "./search-peer.js";

/** The same 33 stopwords as the project's analyzer and Lucene's EnglishAnalyzer. */
const STOPWORDS = "a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with";
/** Indexer memory: Sphinx 2.2 caps it just under 2 GB. */
const INDEXER_MEMORY = "1024M";

/**
 * Sphinx 2.2.11 from Debian's sphinxsearch: a plain index built by `indexer` from a TSV copy of
 * the corpus (the copy is made before the timed build: Sphinx cannot read JSONL), served by
 * `searchd` on a loopback port and queried over SphinxQL with mysql2. English Porter stemming,
 * the 33 Lucene stopwords, ASCII letters and digits as word characters (underscore splits
 * words, as in the other analyzers); ranking by the BM25F factor with the run's k1 and b.
 */
export class SphinxPeer implements SearchPeer {
  readonly name = "sphinx";
  private server: ChildProcess | undefined;
  private connection: Connection | undefined;
  private readonly configPath: string;

  constructor(private readonly directory: string, private readonly log: (line: string) => void) {
    this.configPath = join(directory, "sphinx.conf");
  }

  get version(): string | undefined {
    return installedVersion("sphinxsearch");
  }

  async prepare(): Promise<void> {
    ensureDebianPackage("sphinxsearch", "/usr/bin/indexer");
  }

  async build(corpus: string): Promise<BuildCost> {
    rmSync(this.directory, { recursive: true, force: true });
    mkdirSync(join(this.directory, "index"), { recursive: true });
    const tsv = join(this.directory, "corpus.tsv");
    const started = performance.now();
    await writeTsv(corpus, tsv);
    this.log(`sphinx: TSV copy of the corpus (not counted in its build) took ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const port = await freePort();
    writeFileSync(this.configPath, sphinxConfig(this.directory, tsv, port));
    const cost = await runMeasured("indexer", ["--config", this.configPath, "--all", "--quiet"]);
    rmSync(tsv);
    await this.startServer(port);
    return { ...cost, indexBytes: diskBytes(join(this.directory, "index")), indexingThreads: 1 };
  }

  async run(queries: readonly string[], options: QueryRunOptions): Promise<QueryRun> {
    const connection = this.connection!;
    const joiner = options.match === "all" ? " " : " | ";
    const ranker = `ranker=expr('bm25f(${options.bm25.k1},${options.bm25.b})*1000000')`;
    return timeQueries(queries, options, async (query) => {
      const sql = `SELECT id FROM corpus WHERE MATCH(${connection.escape(query.split(" ").join(joiner))}) LIMIT ${options.k} OPTION ${ranker}, max_matches=${options.k}`;
      const [rows] = await connection.query(sql);
      return (rows as Array<{ id: number | string }>).map((row) => String(row.id));
    });
  }

  async close(): Promise<void> {
    await this.connection?.end();
    this.connection = undefined;
    if (this.server && this.server.exitCode === null) {
      const exited = once(this.server, "exit");
      this.server.kill("SIGTERM");
      await exited;
    }
    this.server = undefined;
    rmSync(this.directory, { recursive: true, force: true });
  }

  private async startServer(port: number): Promise<void> {
    this.server = spawn("searchd", ["--config", this.configPath, "--nodetach"], { stdio: "ignore" });
    for (let attempt = 0; attempt < 100; attempt++) {
      if (this.server.exitCode !== null) throw new Error(`searchd exited with code ${this.server.exitCode}; see ${this.directory}/searchd.log`);
      if (await canConnect(port)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    this.connection = await createConnection({ host: "127.0.0.1", port });
  }
}

function sphinxConfig(directory: string, tsv: string, port: number): string {
  writeFileSync(join(directory, "stopwords.txt"), STOPWORDS.replace(/ /g, "\n") + "\n");
  return `source corpus
{
  type = tsvpipe
  tsvpipe_command = cat ${tsv}
  tsvpipe_field = text
}

index corpus
{
  source = corpus
  path = ${join(directory, "index", "corpus")}
  docinfo = none
  morphology = stem_en
  stopwords = ${join(directory, "stopwords.txt")}
  min_word_len = 1
  charset_table = 0..9, A..Z->a..z, a..z
}

indexer
{
  mem_limit = ${INDEXER_MEMORY}
}

searchd
{
  listen = 127.0.0.1:${port}:mysql41
  log = ${join(directory, "searchd.log")}
  query_log = ${join(directory, "query.log")}
  pid_file = ${join(directory, "searchd.pid")}
  binlog_path =
  workers = threads
}
`;
}

/** id TAB text per line: tabs and line breaks in the text become spaces (word boundaries either way). */
async function writeTsv(corpus: string, tsv: string): Promise<void> {
  const writer = await AtomicLineWriter.create(tsv);
  for await (const line of createInterface({ input: createReadStream(corpus), crlfDelay: Infinity })) {
    if (line.length === 0) continue;
    const record = JSON.parse(line) as { id: string; text: string };
    await writer.writeLine(`${record.id}\t${record.text.replace(/[\t\r\n]+/g, " ")}`);
  }
  await writer.commit();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
