import { rm } from "node:fs/promises";
import { readJsonLines, readAllJsonLines } from "../core/jsonl-file.js";
import { hitsSchema, subjectSchema, topicSchema } from "../core/record-schemas.js";
import type { Hits, Topic } from "../core/records.js";
import { inputFileDigest } from "../core/file-digest.js";
import { startProgress } from "../core/progress.js";
import { hashValue } from "../core/stable-json.js";
import { DocumentStore } from "../corpus/index.js";
import type { SearchEngine } from "../search/search-engine.js";
import { loadTokenizer, TOKENIZER_PRESETS } from "../tokenizer/load-tokenizer.js";
import { TokenizerPool } from "../tokenizer/tokenizer-pool.js";
import type { Tokenizer } from "../tokenizer/tokenizer.js";
import { openRunIndex } from "./index-stage.js";
import { checkSampleShards, SampleOutputs } from "./output/sample-outputs.js";
import { packAllNextLong } from "./nextlong/pack-nextlong.js";
import { emptyCounts, packUnits, type PackCounts, type PackedSample, type PackResult } from "./pack/pack-topic.js";
import { TopicUnitBuilder, type TopicUnits } from "./pack/topic-units.js";
import { dependencyKey, type RunDirectory } from "./run-directory.js";
import type { RunOptions } from "./run-options.js";
import { runStage, type StageContext, type StageOutcome, type StageResult } from "./stage-runner.js";

type PackStageOptions = Pick<
  RunOptions,
  | "length" | "tokenizer" | "samplesPerTopic" | "order" | "seed" | "separator" | "boundaryTokens" | "split" | "longDocuments"
  | "shortTopics" | "nearDuplicateThreshold" | "maxDocUses" | "relax" | "formats" | "compress" | "shardSamples" | "workers"
  | "nextlong" | "chunkSize" | "negativesPerGap" | "negatives" | "negativesExcludeTopic" | "memory"
>;

/** Topics prepared ahead of the one being packed, so workers stay busy. */
const LOOKAHEAD = 4;

/** Packs each topic's hits into samples of exactly `length` tokens under samples/. */
export async function runPackStage(context: StageContext, options: PackStageOptions): Promise<StageResult> {
  const { run } = context;
  const retrieveStage = await run.requireStage("retrieve", "retrieve");
  const { workers } = options;
  const stageOptions: Record<string, unknown> = pickPackOptions(options);
  delete stageOptions.workers;
  delete stageOptions.memory;
  const tokenizerIdentity = options.tokenizer in TOKENIZER_PRESETS ? options.tokenizer : await inputFileDigest(options.tokenizer, `a tokenizer.json or a preset (${Object.keys(TOKENIZER_PRESETS).join(", ")})`);
  // Worker count and memory budget are not in the fingerprint: outputs are the same whatever they are.
  const fingerprint = hashValue({ ...stageOptions, tokenizer: tokenizerIdentity, retrieve: dependencyKey(retrieveStage) });
  return runStage(context, "pack", stageOptions, fingerprint, [run.samplesIndexPath], async () => {
    const tokenizer = await loadTokenizer(options.tokenizer);
    const pool = await TokenizerPool.create(options.tokenizer, workers, tokenizer);
    try {
      const outcome = await packAll(context, options, tokenizer, pool);
      return { ...outcome, facts: { ...outcome.facts, workers: String(workers) } };
    } finally {
      await pool.close();
      tokenizer.free();
    }
  }, () => checkSampleShards(run.samplesDirectory));
}

/** The pack options; the NExtLong ones only when it is on, so plain runs keep their fingerprints. */
function pickPackOptions(options: PackStageOptions): PackStageOptions {
  const { length, tokenizer, samplesPerTopic, order, seed, separator, boundaryTokens, split, longDocuments, shortTopics, nearDuplicateThreshold, maxDocUses, relax, formats, compress, shardSamples, workers, memory } = options;
  const picked = { length, tokenizer, samplesPerTopic, order, seed, separator, boundaryTokens, split, longDocuments, shortTopics, nearDuplicateThreshold, maxDocUses, relax, formats, compress, shardSamples, workers, memory };
  if (!options.nextlong) return picked as PackStageOptions;
  const { nextlong, chunkSize, negativesPerGap, negatives, negativesExcludeTopic } = options;
  return { ...picked, nextlong, chunkSize, negativesPerGap, negatives, negativesExcludeTopic };
}

interface PackTally {
  documents: PackCounts & { reuseCap: number };
  topics: number;
  topicsWithSamples: number;
  topicsWithSameHits: number;
  topicsRelaxed: number;
  skippedCharacters: number;
}

async function packAll(context: StageContext, options: PackStageOptions, tokenizer: Tokenizer, pool: TokenizerPool): Promise<StageOutcome> {
  const { run } = context;
  const topics = new Map((await readAllJsonLines(run.topicsPath, topicSchema)).map((topic) => [topic.id, topic]));
  const sections = new Map((await readAllJsonLines(run.subjectsPath, subjectSchema)).map((subject) => [subject.id, subject.section]));
  const { engine, metadata } = await openRunIndex(run);
  const builder = new TopicUnitBuilder(engine, new DocumentStore({ textField: metadata.textField }), tokenizer, pool, options);
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
      return { counts: { samples: index.samples, shortSamples: index.shortSamples, tokens: index.tokens, ...counts }, facts: { tokenizer: tokenizer.name, length: String(options.length), formats: options.formats.join(","), "negatives.source": options.negatives } };
    } catch (error) {
      await outputs.abort();
      throw error;
    }
  }
  const tally: PackTally = { documents: { ...emptyCounts(), reuseCap: 0 }, topics: 0, topicsWithSamples: 0, topicsWithSameHits: 0, topicsRelaxed: 0, skippedCharacters: 0 };
  const uses = new Map<string, number>();
  const packedHitLists = new Set<string>();
  const progress = startProgress({ label: "pack", total: topics.size, unit: "topics" });
  try {
    for await (const { hits, prepared } of preparedTopics(run, topics, builder)) {
      const topic = topics.get(hits.topicId)!;
      tally.topics++;
      progress.advance();
      // Different headings can analyse to the same query ("Languages C" / "Languages C++").
      const hitList = hashValue(hits.docIds);
      if (hits.docIds.length > 0 && packedHitLists.has(hitList)) {
        tally.topicsWithSameHits++;
        continue;
      }
      packedHitLists.add(hitList);
      const relaxable = options.relax && hits.match === "all";
      let result = packWithCap(await prepared, tokenizer, { ...options, shortTopics: relaxable ? "drop" : options.shortTopics }, uses);
      if (result.samples.length === 0 && relaxable) {
        const relaxed = await relaxedUnits(engine, builder, topic, hits, retrieveOptions);
        if (relaxed) {
          tally.topicsRelaxed++;
          result = packWithCap(relaxed, tokenizer, options, uses);
        } else if (options.shortTopics === "flag") result = packWithCap(await prepared, tokenizer, options, uses);
      }
      await writeTopic(outputs, topic, sections.get(topic.subjectId) ?? "custom", tokenizer.name, result.samples);
      addCounts(tally, result);
      for (const docId of new Set(result.samples.flatMap((sample) => sample.docIds))) uses.set(docId, (uses.get(docId) ?? 0) + 1);
    }
  } catch (error) {
    await outputs.abort();
    throw error;
  } finally {
    progress.stop();
  }
  const index = await outputs.finish();
  const documentCounts = Object.fromEntries(Object.entries(tally.documents).map(([fate, count]) => [`documents.${fate}`, count]));
  return {
    counts: {
      samples: index.samples,
      shortSamples: index.shortSamples,
      tokens: index.tokens,
      topics: tally.topics,
      topicsWithSamples: tally.topicsWithSamples,
      topicsWithoutSamples: tally.topics - tally.topicsWithSamples,
      topicsWithSameHits: tally.topicsWithSameHits,
      topicsRelaxed: tally.topicsRelaxed,
      skippedCharacters: tally.skippedCharacters,
      ...documentCounts,
    },
    facts: { tokenizer: tokenizer.name, length: String(options.length), formats: options.formats.join(",") },
  };
}

/** Hits in file order, each with its units being prepared up to LOOKAHEAD topics ahead. */
async function* preparedTopics(run: RunDirectory, topics: Map<string, Topic>, builder: TopicUnitBuilder) {
  const window: Array<{ hits: Hits; prepared: Promise<TopicUnits> }> = [];
  for await (const hits of readJsonLines(run.hitsPath, hitsSchema)) {
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

function addCounts(tally: PackTally, result: PackResult): void {
  for (const [fate, count] of Object.entries(result.counts)) tally.documents[fate as keyof PackTally["documents"]] += count as number;
  if (result.samples.length > 0) tally.topicsWithSamples++;
  tally.skippedCharacters += result.skippedCharacters;
}
