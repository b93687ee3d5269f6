/**
 * Our BM25 engine against SQLite FTS5, Lucene 8.8 and Sphinx 2.2.11 on the same corpus and the
 * same queries, in the same run: indexing throughput per core, index size, peak memory,
 * queries/s and latency for top-100 and top-1000 in `all` and `any` modes, ratios of ours to
 * each peer, and the overlap of the top-100 sets. See src/bench/search-bench/ for how the
 * corpus and queries are made.
 *
 *   node dist/bench/search-engines.js [--bytes 3e9] [--queries 10000] [--peers fts5,lucene,sphinx]
 *     [--seed 1] [--novel-word-rate 0.01] [--max-seconds 600] [--data bench-data] [--json]
 *     [--memory 1G] [--workers <cores>] [--lucene-threads <as --workers>]
 *
 * Lucene indexes on as many threads as we do by default: two threads of one machine slow each
 * other (shared caches and memory bandwidth), so throughput per core compares only at equal
 * thread counts. --lucene-threads 1 gives Lucene's single-thread figure.
 */
import { rmSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_BM25 } from "../search/bm25.js";
import type { MatchMode } from "../search/search-engine.js";
import { loadTaxonomy } from "../taxonomy/index.js";
import { PROJECT_ROOT } from "../test-support/fixtures.js";
import { timed } from "./bench-support.js";
import { ensureBenchCorpus } from "./search-bench/bench-corpus.js";
import { benchQueries } from "./search-bench/bench-queries.js";
import { loadRealText } from "./search-bench/bench-text-sources.js";
import { formatReport, ratiosOf, summarizeBuild, summarizeRun, topOverlap, type EngineResult } from "./search-bench/engine-report.js";
import { Fts5Peer } from "./search-bench/fts5-peer.js";
import { LitelongPeer } from "./search-bench/litelong-peer.js";
import { LucenePeer } from "./search-bench/lucene-peer.js";
import type { QueryRunOptions, SearchPeer } from "./search-bench/search-peer.js";
import { SphinxPeer } from "./search-bench/sphinx-peer.js";

const { values } = parseArgs({
  options: {
    bytes: { type: "string", default: "3e9" },
    queries: { type: "string", default: "10000" },
    peers: { type: "string", default: "fts5,lucene,sphinx" },
    seed: { type: "string", default: "1" },
    "novel-word-rate": { type: "string", default: "0.01" },
    "max-seconds": { type: "string", default: "600" },
    data: { type: "string", default: join(PROJECT_ROOT, "bench-data") },
    json: { type: "boolean", default: false },
    memory: { type: "string", default: "1G" },
    workers: { type: "string", default: String(availableParallelism()) },
    "lucene-threads": { type: "string" },
  },
});
const log = (line: string) => process.stderr.write(`search-engines: ${line}\n`);
const positive = (name: string, text: string) => {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name}: expected a positive number, got "${text}"`);
  return value;
};
const shape = { bytes: Math.round(positive("bytes", values.bytes)), seed: Math.round(Number(values.seed)), novelWordRate: Number(values["novel-word-rate"]) };
const queryCount = Math.round(positive("queries", values.queries));
const maxSeconds = positive("max-seconds", values["max-seconds"]);
const workers = Math.round(positive("workers", values.workers));
const luceneThreads = Math.round(positive("lucene-threads", values["lucene-threads"] ?? String(workers)));
const dataDirectory = resolve(values.data);
const work = join(dataDirectory, "work");

const PEERS: Record<string, () => SearchPeer> = {
  fts5: () => new Fts5Peer(join(work, "fts5")),
  lucene: () => new LucenePeer(join(work, "lucene"), luceneThreads),
  sphinx: () => new SphinxPeer(join(work, "sphinx"), log),
};
const peerNames = values.peers.split(",").map((name) => name.trim()).filter((name) => name !== "");
const unknown = peerNames.filter((name) => !(name in PEERS));
if (unknown.length > 0) throw new Error(`--peers: unknown ${unknown.join(", ")}; known: ${Object.keys(PEERS).join(", ")}`);

const phases: Record<string, number> = {};
// Other work on the machine stretches wall times (not CPU seconds): the load is part of the result.
const loadAtStart = loadavg()[0]!;
const realText = await timed(() => loadRealText(join(dataDirectory, "sources")));
phases.realText = realText.seconds;
const corpus = await timed(() => ensureBenchCorpus(dataDirectory, realText.result, shape, log));
phases.corpus = corpus.seconds;
const { path: corpusPath, manifest } = corpus.result;
log(`corpus ${corpusPath}: ${manifest.documents} documents, ${(manifest.bytes / 1e6).toFixed(0)} MB`);
const queries = await timed(async () => benchQueries(await loadTaxonomy("bisac"), realText.result.files, queryCount, shape.seed));
phases.queries = queries.seconds;

const PASSES: Array<{ match: MatchMode; k: number }> = [
  { match: "all", k: 100 },
  { match: "all", k: 1000 },
  { match: "any", k: 100 },
  { match: "any", k: 1000 },
];
const OVERLAP_DEPTH = 100;
const WARMUP = { warmupQueries: 500, warmupSeconds: 10 };
const ourTopIds: Partial<Record<MatchMode, string[][]>> = {};

/**
 * Runs one step of a peer; on failure (a crashed server, a full disk) records why, closes the
 * peer and returns false, so the other engines' numbers still come out.
 */
async function attempt(peer: SearchPeer, result: EngineResult, step: () => Promise<void>): Promise<boolean> {
  try {
    await step();
    return true;
  } catch (error) {
    log(`${peer.name} failed: ${(error as Error).stack}`);
    result.skipped = `failed: ${(error as Error).message}`;
    await peer.close();
    return false;
  }
}

async function build(peer: SearchPeer, result: EngineResult): Promise<void> {
  log(`${peer.name}: building`);
  const built = await timed(() => peer.build(corpusPath));
  phases[`${peer.name}.build`] = built.seconds;
  result.build = summarizeBuild(built.result, manifest);
}

async function runPass(peer: SearchPeer, result: EngineResult, pass: (typeof PASSES)[number]): Promise<void> {
  log(`${peer.name}: ${pass.match} top-${pass.k}`);
  const started = performance.now();
  const options: QueryRunOptions = { ...pass, bm25: DEFAULT_BM25, ...WARMUP, idsKept: OVERLAP_DEPTH, maxSeconds };
  const run = await peer.run(queries.result, options);
  result.runs.push(summarizeRun(run, pass.match, pass.k));
  if (pass.k === OVERLAP_DEPTH) {
    if (peer instanceof LitelongPeer) ourTopIds[pass.match] = run.ids;
    else if (ourTopIds[pass.match]) result.overlapWithOurs = { ...result.overlapWithOurs, [pass.match]: topOverlap(ourTopIds[pass.match]!, run.ids) };
  }
  if (peer instanceof LitelongPeer) {
    // The same queries the timed pass answered, so --max-seconds bounds the batch too.
    const answered = queries.result.slice(0, run.latencies.length);
    const seconds = await peer.runBatch(answered, options);
    result.batchQueriesPerSecond = { ...result.batchQueriesPerSecond, [`${pass.match}@${pass.k}`]: answered.length / seconds };
  }
  phases[`${peer.name}.queries`] = (phases[`${peer.name}.queries`] ?? 0) + (performance.now() - started) / 1000;
}

// Every engine builds first; then each query pass runs on every engine in turn, ours first. This
// VM's speed drifts by 10-30% over minutes, so the engines' runs of one pass are kept close in time.
const peers: SearchPeer[] = [new LitelongPeer(join(work, "litelong"), { memory: values.memory, workers }), ...peerNames.map((name) => PEERS[name]!())];
const engines: EngineResult[] = peers.map((peer) => ({ name: peer.name, runs: [] }));
const live = new Set<SearchPeer>();
for (const [i, peer] of peers.entries()) {
  try {
    await peer.prepare();
  } catch (error) {
    log(`${peer.name} skipped: ${(error as Error).message}`);
    engines[i]!.skipped = (error as Error).message;
    continue;
  }
  if (peer.version !== undefined) engines[i]!.version = peer.version;
  if (await attempt(peer, engines[i]!, () => build(peer, engines[i]!))) live.add(peer);
}
for (const pass of PASSES) {
  for (const [i, peer] of peers.entries()) {
    if (live.has(peer) && !(await attempt(peer, engines[i]!, () => runPass(peer, engines[i]!, pass)))) live.delete(peer);
  }
}
for (const peer of live) await peer.close();
rmSync(work, { recursive: true, force: true });

const ours = engines[0]!;
const summary = {
  corpus: { path: corpusPath, documents: manifest.documents, bytes: manifest.bytes, packages: manifest.packages },
  queries: queries.result.length,
  bm25: DEFAULT_BM25,
  maxSecondsPerPass: maxSeconds,
  loadAverage: { start: Number(loadAtStart.toFixed(2)), end: Number(loadavg()[0]!.toFixed(2)), cores: availableParallelism() },
  phasesSeconds: Object.fromEntries(Object.entries(phases).map(([name, seconds]) => [name, Number(seconds.toFixed(1))])),
  engines,
  ratios: Object.fromEntries(engines.slice(1).filter((engine) => engine.build).map((engine) => [engine.name, ratiosOf(ours, engine)])),
};
if (values.json) {
  process.stderr.write(formatReport(engines) + "\n");
  console.log(JSON.stringify(summary));
} else {
  console.log(formatReport(engines));
  console.log(`\nphases (s): ${JSON.stringify(summary.phasesSeconds)}`);
  console.log(`load average (1 min): ${summary.loadAverage.start} at start, ${summary.loadAverage.end} at end, on ${summary.loadAverage.cores} cores`);
}
