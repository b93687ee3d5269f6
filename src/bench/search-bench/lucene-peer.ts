import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../test-support/fixtures.js";
import { ensureDebianPackage, installedVersion } from "./debian-packages.js";
import { diskBytes, runMeasured } from "./measured-process.js";
import type { BuildCost, QueryRun, QueryRunOptions, SearchPeer } from "./search-peer.js";

const JAVA_LIBRARIES = "/usr/share/java";
/** Lucene's in-memory buffer before it flushes a segment; Lucene's own benchmarks use this range. */
const RAM_BUFFER_MB = 256;
/** Heap for the JVM: the RAM buffer plus room; peak RSS is measured, not assumed. */
const JAVA_HEAP = "-Xmx2g";

/**
 * Lucene from Debian's liblucene8-java through bench/lucene/LuceneBench.java, compiled here
 * with javac into `directory`: EnglishAnalyzer (the 33 Lucene stopwords, possessives, Porter),
 * BM25Similarity with the run's k1 and b, `indexingThreads` threads adding documents to one
 * IndexWriter (concurrent merges; one thread: serial merges); `all` =
 * MUST clauses, `any` = SHOULD clauses (Lucene 8 prunes these with block-max WAND).
 */
export class LucenePeer implements SearchPeer {
  readonly name = "lucene";
  private classPath = "";
  private readonly indexDirectory: string;
  private readonly queryFile: string;

  constructor(private readonly directory: string, private readonly indexingThreads: number) {
    this.indexDirectory = join(directory, "index");
    this.queryFile = join(directory, "queries.tsv");
  }

  /** Debian's Lucene version, for the report. */
  get version(): string | undefined {
    return installedVersion("liblucene8-java");
  }

  async prepare(): Promise<void> {
    ensureDebianPackage("liblucene8-java", "/usr/share/doc/liblucene8-java/copyright");
    if (!existsSync("/usr/bin/javac")) throw new Error("javac is not installed (a JDK, e.g. openjdk-17-jdk-headless, is needed to compile the harness)");
    // Debian names the jars after an older upstream version; the manifest says 8.8.1.
    const jar = (prefix: string) => readdirSync(JAVA_LIBRARIES).find((file) => new RegExp(`^${prefix}-[\\d.]+\\.jar$`).test(file));
    const jars = ["lucene-core", "lucene-analyzers-common"].map((prefix) => {
      const file = jar(prefix);
      if (!file) throw new Error(`${prefix}-<version>.jar not found in ${JAVA_LIBRARIES}`);
      return join(JAVA_LIBRARIES, file);
    });
    const classes = join(this.directory, "classes");
    rmSync(this.directory, { recursive: true, force: true });
    mkdirSync(classes, { recursive: true });
    const sources = ["LuceneBench.java", "JsonRecord.java"].map((file) => join(PROJECT_ROOT, "bench", "lucene", file));
    execFileSync("javac", ["-d", classes, "-cp", jars.join(":"), ...sources], { stdio: ["ignore", "ignore", "pipe"] });
    this.classPath = [classes, ...jars].join(":");
  }

  async build(corpus: string): Promise<BuildCost> {
    rmSync(this.indexDirectory, { recursive: true, force: true });
    const cost = await runMeasured("java", [JAVA_HEAP, "-cp", this.classPath, "LuceneBench", "index", corpus, this.indexDirectory, String(RAM_BUFFER_MB), String(this.indexingThreads)]);
    return { ...cost, indexBytes: diskBytes(this.indexDirectory), indexingThreads: this.indexingThreads };
  }

  async run(queries: readonly string[], options: QueryRunOptions): Promise<QueryRun> {
    writeFileSync(this.queryFile, queries.map((query, index) => `q${index}\t${query}\n`).join(""));
    const args = [options.k, options.match, options.warmupQueries, options.warmupSeconds, options.idsKept, options.maxSeconds].map(String);
    const { stdout } = await runMeasured("java", [JAVA_HEAP, "-cp", this.classPath, "LuceneBench", "search", this.indexDirectory, this.queryFile, String(options.bm25.k1), String(options.bm25.b), ...args]);
    const lines = stdout.trim().split("\n").map((line) => JSON.parse(line) as { micros: number; ids: number[]; seconds: number });
    const total = lines.pop()!;
    return { seconds: total.seconds, latencies: lines.map((line) => line.micros / 1000), ids: lines.map((line) => line.ids.map(String)) };
  }

  async close(): Promise<void> {
    rmSync(this.directory, { recursive: true, force: true });
  }
}
