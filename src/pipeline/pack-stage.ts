import { rm } from "node:fs/promises";
import { join } from "node:path";
import { AtomicLineWriter } from "../core/atomic-file.js";
import { readJsonLines, readAllJsonLines } from "../core/jsonl-file.js";
import { hitsSchema, subjectSchema, topicSchema } from "../core/record-schemas.js";
import type { Hits, Topic } from "../core/records.js";
import { inputFileDigest } from "../core/file-digest.js";
import { startProgress } from "../core/progress.js";
import { ConfigError } from "../core/errors.js";
import { hashValue } from "../core/stable-json.js";
import { DocumentStore } from "../corpus/index.js";
import type { SearchEngine } from "../search/search-engine.js";
import { loadTokenizer, TOKENIZER_PRESETS } from "../tokenizer/load-tokenizer.js";
import { TokenizerPool } from "../tokenizer/tokenizer-pool.js";
import type { Tokenizer } from "../tokenizer/tokenizer.js";
import { openRunIndex } from "./index-stage.js";
import { checkSampleShards, SampleOutputs } from "./output/sample-outputs.js";
import { packAllNextLong } from "./nextlong/pack-nextlong.js";
import { packUnits, type PackCounts, type PackedSample, type PackResult } from "./pack/pack-topic.js";
import { addTopicTally, emptyPackTally, emptyTopicTally, packStageCounts, type DocumentFates, type TopicTally } from "./pack-tally.js";
import { planPackMemory } from "./pack/pack-memory.js";
import { TopicUnitBuilder, type TopicUnits } from "./pack/topic-units.js";
import { dependencyKey, type RunDirectory, type StageRecord } from "./run-directory.js";
import { requireCompatibleShard, shardPart } from "./shard.js";
import type { RunOptions } from "./run-options.js";
import { runStage, type StageContext, type StageOutcome, type StageResult } from "./stage-runner.js";

type PackStageOptions = Pick<
  RunOptions,
  | "length" | "tokenizer" | "samplesPerTopic" | "order" | "seed" | "separator" | "boundaryTokens" | "split" | "longDocuments"
  | "shortTopics" | "nearDuplicateThreshold" | "maxDocUses" | "relax" | "formats" | "compress" | "shardSamples" | "workers"
  | "nextlong" | "chunkSize" | "chunkUnit" | "negativePool" | "negativesPerGap" | "negatives" | "negativesExcludeTopic" | "memory" | "embeddings" | "embeddingModels"
>;

/** Per-topic tallies of a sharded pack stage, under samples/, for `litelong merge`. */
export const SHARD_TALLIES_FILE = "shard-tallies.jsonl";

/** Topics prepared ahead of the one being packed, so workers stay busy. */
const LOOKAHEAD = 4;

/** Packs each topic's hits into samples of exactly `length` tokens under samples/. */
export async function runPackStage(context: StageContext, options: PackStageOptions): Promise<StageResult> {
  const { run } = context;
  const retrieveStage = await run.requireStage("retrieve", "retrieve");
  requireCompatibleShard(run.root, "pack", "retrieve", retrieveStage, context.shard);
  // NExtLong's chunk pool spans every topic of the run, so it cannot be split.
  if (options.nextlong && context.shard) throw new ConfigError(["nextlong: cannot be combined with --shard (the chunk pool spans all topics); pack the whole run"]);
  // Worker count and memory budget are not in the fingerprint: outputs are the same whatever they are.
  const { workers, ...picked } = pickPackOptions(options);
  const stageOptions: Record<string, unknown> = { ...picked, ...denseNegativeOptions(options) };
  delete stageOptions.memory;
  const fingerprint = packFingerprint(stageOptions, await tokenizerIdentity(options.tokenizer), retrieveStage);
  // The embedded index is held in memory while packing (a cluster's is not), so it counts against the budget.
  const indexBytes = (await run.requireStage("index", "index")).counts.indexBytes ?? 0;
  const memory = planPackMemory({ memoryBytes: options.memory, workers, length: options.length, samplesPerTopic: options.samplesPerTopic, topicsInFlight: LOOKAHEAD + 1, indexBytes });
  return runStage(context, "pack", stageOptions, fingerprint, [run.samplesIndexPath], async () => {
    const tokenizer = await loadTokenizer(options.tokenizer);
    const pool = await TokenizerPool.create(options.tokenizer, memory.workers, tokenizer);
    try {
      const outcome = await packAll(context, options, tokenizer, pool, retrieveStage.shard !== undefined, { tokens: memory.cachedTokens, signatures: memory.cachedSignatures });
      return { ...outcome, facts: { ...outcome.facts, workers: String(memory.workers) } };
    } finally {
      await pool.close();
      tokenizer.free();
    }
  }, () => checkSampleShards(run.samplesDirectory));
}

/** A tokenizer preset by name, a tokenizer.json by its content. */
export async function tokenizerIdentity(tokenizer: string): Promise<string> {
  return tokenizer in TOKENIZER_PRESETS ? tokenizer : await inputFileDigest(tokenizer, `a tokenizer.json or a preset (${Object.keys(TOKENIZER_PRESETS).join(", ")})`);
}

/** The pack stage's fingerprint: the options it records (worker count changes no output), the tokenizer and its hits. */
export function packFingerprint(stageOptions: Record<string, unknown>, tokenizer: string, retrieveStage: StageRecord): string {
  return hashValue({ ...stageOptions, tokenizer, retrieve: dependencyKey(retrieveStage) });
}

/**
 * With dense negatives, the embedding model's name and what it serves (its vectors decide the
 * negatives; its address, key and batch size do not). Fails when the model is not configured.
 */
function denseNegativeOptions(options: PackStageOptions): Record<string, string> {
  if (!options.nextlong || options.negatives !== "dense") return {};
  // Dense negatives search the embedded chunks of the retrieved documents; embedding a whole corpus is a different job.
  if (options.negativePool === "corpus") throw new ConfigError(['negativePool: "corpus" works with negatives "bm25" only; dense negatives come from the retrieved documents']);
  const configured = Object.keys(options.embeddingModels ?? {});
  const list = configured.join(", ") || "none";
  if (!options.embeddings) throw new ConfigError([`embeddings: negatives "dense" needs an embedding model: pass --embeddings <name> (configured under embeddingModels: ${list})`]);
  const config = options.embeddingModels?.[options.embeddings];
  if (!config) throw new ConfigError([`embeddings: model "${options.embeddings}" is not configured under embeddingModels (configured: ${list})`]);
  return { embeddings: options.embeddings, embeddingModel: config.model };
}

/** The pack options; the NExtLong ones only when it is on, so plain runs keep their fingerprints. */
function pickPackOptions(options: PackStageOptions): PackStageOptions {
  const { length, tokenizer, samplesPerTopic, order, seed, separator, boundaryTokens, split, longDocuments, shortTopics, nearDuplicateThreshold, maxDocUses, relax, formats, compress, shardSamples, workers, memory } = options;
  const picked = { length, tokenizer, samplesPerTopic, order, seed, separator, boundaryTokens, split, longDocuments, shortTopics, nearDuplicateThreshold, maxDocUses, relax, formats, compress, shardSamples, workers, memory };
  if (!options.nextlong) return picked as PackStageOptions;
  const { nextlong, chunkSize, chunkUnit, negativePool, negativesPerGap, negatives, negativesExcludeTopic } = options;
  return { ...picked, nextlong, chunkSize, chunkUnit, negativePool, negativesPerGap, negatives, negativesExcludeTopic };
}

async function packAll(
  context: StageContext,
  options: PackStageOptions,
  tokenizer: Tokenizer,
  pool: TokenizerPool,
  hitsAreShardPart: boolean,
  cacheLimits: { tokens: number; signatures: number },
): Promise<StageOutcome> {
  const { run } = context;
  const allTopics = await readAllJsonLines(run.topicsPath, topicSchema);
  const topics = new Map(allTopics.map((topic) => [topic.id, topic]));
  // Whole-run hits: this shard packs the hits of its part of the topics.
  const owned = new Set(shardPart(allTopics, context.shard, hitsAreShardPart).map((topic) => topic.id));
  const sections = new Map((await readAllJsonLines(run.subjectsPath, subjectSchema)).map((subject) => [subject.id, subject.section]));
  const { engine, metadata } = await openRunIndex(run);
  const builder = new TopicUnitBuilder(engine, new DocumentStore({ textField: metadata.textField }), tokenizer, pool, options, cacheLimits);
  const retrieveOptions = (await run.requireStage("retrieve", "retrieve")).options as { k: number; bm25: { k1: number; b: number } };
  await rm(run.samplesDirectory, { recursive: true, force: true });
  const outputs = new SampleOutputs({
    directory: run.samplesDirectory,
    formats: options.formats,
    shardSamples: options.shardSamples,
    compression: options.compress,
    tokenizer: tokenizer.name,
    length: options.length,
    boundaryTokens: options.boundaryTokens,
  });
  if (options.nextlong) {
    try {
      const inputs = { topics, engine, store: new DocumentStore({ textField: metadata.textField }), tokenizer, pool, retrieve: retrieveOptions };
      const counts = await packAllNextLong(run, inputs, options, (topic, samples) => writeTopic(outputs, topic, sections.get(topic.subjectId) ?? "custom", tokenizer.name, samples));
      const index = await outputs.finish();
      return { counts: { samples: index.samples, shortSamples: index.shortSamples, tokens: index.tokens, ...counts }, facts: { tokenizer: tokenizer.name, length: String(options.length), formats: options.formats.join(","), "negatives.source": options.negatives, "negatives.pool": options.negativePool } };
    } catch (error) {
      await outputs.abort();
      throw error;
    }
  }
  const tally = emptyPackTally();
  const shardTallies = context.shard && (await AtomicLineWriter.create(join(run.samplesDirectory, SHARD_TALLIES_FILE)));
  const countTopic = async (topicTally: TopicTally) => {
    addTopicTally(tally, topicTally);
    await shardTallies?.writeLine(JSON.stringify(topicTally));
  };
  const uses = new Map<string, number>();
  const packedHitLists = new Set<string>();
  const progress = startProgress({ label: "pack", total: owned.size, unit: "topics" });
  try {
    for await (const { hits, prepared } of preparedTopics(run, topics, owned, builder)) {
      const topic = topics.get(hits.topicId)!;
      const topicTally = emptyTopicTally(topic.id);
      progress.advance();
      // Different headings can analyse to the same query ("Languages C" / "Languages C++").
      const hitList = hashValue(hits.docIds);
      topicTally.sameHits = hits.docIds.length > 0 && packedHitLists.has(hitList);
      if (topicTally.sameHits) {
        await countTopic(topicTally);
        continue;
      }
      packedHitLists.add(hitList);
      const relaxable = options.relax && hits.match === "all";
      let result = packWithCap(await prepared, tokenizer, { ...options, shortTopics: relaxable ? "drop" : options.shortTopics }, uses);
      if (result.samples.length === 0 && relaxable) {
        const relaxed = await relaxedUnits(engine, builder, topic, hits, retrieveOptions);
        if (relaxed) {
          topicTally.relaxed = true;
          result = packWithCap(relaxed, tokenizer, options, uses);
        } else if (options.shortTopics === "flag") result = packWithCap(await prepared, tokenizer, options, uses);
      }
      await writeTopic(outputs, topic, sections.get(topic.subjectId) ?? "custom", tokenizer.name, result.samples);
      await countTopic({ ...topicTally, samples: result.samples.length, skippedCharacters: result.skippedCharacters, documents: result.counts as DocumentFates });
      for (const docId of new Set(result.samples.flatMap((sample) => sample.docIds))) uses.set(docId, (uses.get(docId) ?? 0) + 1);
    }
  } catch (error) {
    await outputs.abort();
    await shardTallies?.abort();
    throw error;
  } finally {
    progress.stop();
  }
  await shardTallies?.commit();
  const index = await outputs.finish();
  return {
    counts: packStageCounts(index, tally),
    facts: { tokenizer: tokenizer.name, length: String(options.length), formats: options.formats.join(",") },
  };
}

/** Hits in file order, each with its units being prepared up to LOOKAHEAD topics ahead. */
async function* preparedTopics(run: RunDirectory, topics: Map<string, Topic>, owned: Set<string>, builder: TopicUnitBuilder) {
  const window: Array<{ hits: Hits; prepared: Promise<TopicUnits> }> = [];
  for await (const hits of readJsonLines(run.hitsPath, hitsSchema)) {
    if (!owned.has(hits.topicId)) continue;
    const prepared = builder.build(hits, topics.get(hits.topicId)!);
    prepared.catch(() => undefined); // awaited in order below; avoid an unhandled rejection meanwhile
    window.push({ hits, prepared });
    if (window.length > LOOKAHEAD) yield window.shift()!;
  }
  yield* window;
}

/** Documents already used `maxDocUses` times in earlier topics are left out (and counted). */
function packWithCap(prepared: TopicUnits, tokenizer: Tokenizer, options: PackStageOptions, uses: Map<string, number>): PackResult {
  const cap = options.maxDocUses;
  const units = cap === undefined ? prepared.units : prepared.units.filter((unit) => (uses.get(unit.docId) ?? 0) < cap);
  const result = packUnits(units, prepared.counts, tokenizer, options);
  return { ...result, counts: { ...result.counts, reuseCap: prepared.units.length - units.length } as PackCounts };
}

async function relaxedUnits(engine: SearchEngine, builder: TopicUnitBuilder, topic: Topic, hits: Hits, retrieve: { k: number; bm25: { k1: number; b: number } }) {
  const relaxedHits = await engine.search(topic.text, { k: retrieve.k, match: "any", bm25: retrieve.bm25 });
  const docIds = relaxedHits.map((hit) => hit.docId);
  if (hashValue(docIds) === hashValue(hits.docIds)) return undefined;
  return builder.build({ ...hits, match: "any", docIds, scores: relaxedHits.map((hit) => hit.score) }, topic);
}

async function writeTopic(outputs: SampleOutputs, topic: Topic, domain: string, tokenizer: string, samples: readonly PackedSample[]): Promise<void> {
  for (const [n, sample] of samples.entries()) {
    const { ids, ...rest } = sample;
    await outputs.write({ id: `${topic.id}-s${n}`, topicId: topic.id, subjectId: topic.subjectId, topic: topic.text, domain, tokenizer, tokenCount: ids.length, ...rest }, ids);
  }
}
