import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { CorruptFileError } from "../../core/corrupt-file-error.js";
import type { CorpusDocument } from "../../core/records.js";
import { temporaryDirectory } from "../../test-support/fixtures.js";
import { DEFAULT_ANALYSIS } from "../analyzer.js";
import { ExactBm25IndexBuilder, type ExactBm25Engine } from "../exact-bm25-engine.js";
import type { SearchOptions } from "../search-engine.js";
import { readManifest } from "./index-manifest.js";
import { readSegmentFile, verifySegmentFile } from "./segment-file.js";
import { SegmentedBm25Engine } from "./segmented-bm25-engine.js";
import { SegmentedIndexWriter, type IndexWriterOptions } from "./segmented-index-writer.js";

const WORDS = ["apple", "banana", "cherry", "date", "elder", "fig", "grape", "honeydew", "kiwi", "lemon", "mango", "the", "of", "zebra", "running", "runs", "run's"];

function corpus(texts: readonly string[], ids = texts.map((_, i) => `d${i}`)): CorpusDocument[] {
  return texts.map((text, i) => ({ id: ids[i]!, text, source: { file: `/corpus/part-${i % 3}.jsonl`, locator: { kind: "line", line: i + 1, byteOffset: i * 1000, byteLength: text.length } } }));
}

async function buildSegmented(documents: readonly CorpusDocument[], options: Partial<IndexWriterOptions> = {}, directory = temporaryDirectory()) {
  const writer = await SegmentedIndexWriter.create(directory, { analysis: DEFAULT_ANALYSIS, memoryBytes: 512 * 2 ** 20, workers: 2, ...options });
  for (const document of documents) await writer.add(document);
  const summary = await writer.finish();
  return { directory, summary, engine: await SegmentedBm25Engine.open(directory, { workers: 2, verifyChecksums: true }) };
}

function buildOracle(documents: readonly CorpusDocument[]): ExactBm25Engine {
  const builder = new ExactBm25IndexBuilder(DEFAULT_ANALYSIS);
  for (const document of documents) builder.add(document);
  return builder.finish();
}

const text = fc.array(fc.constantFrom(...WORDS), { minLength: 0, maxLength: 30 }).map((words) => words.join(" "));
const query = fc.array(fc.constantFrom(...WORDS, "unknown"), { minLength: 1, maxLength: 4 }).map((words) => words.join(" "));
const searchOptions: fc.Arbitrary<SearchOptions> = fc.record({
  k: fc.integer({ min: 1, max: 40 }),
  match: fc.constantFrom("all" as const, "any" as const),
  minimumShouldMatch: fc.integer({ min: 1, max: 3 }),
  bm25: fc.record({ k1: fc.constantFrom(0.9, 1.2, 2), b: fc.constantFrom(0, 0.4, 0.75, 1) }),
});

test("pruned top-k over many segments equals the exhaustive oracle exactly: ids, order, scores, sources", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 120 }), fc.array(query, { minLength: 1, maxLength: 6 }), searchOptions, fc.integer({ min: 1, max: 400 }), async (texts, queries, options, segmentCharacters) => {
      const documents = corpus(texts);
      const oracle = buildOracle(documents);
      const { engine } = await buildSegmented(documents, { segmentCharacters, maxMergeBytes: 0 });
      try {
        assert.deepEqual(engine.statistics(), oracle.statistics());
        for (const q of queries) assert.deepEqual(await engine.search(q, options), await oracle.search(q, options), q);
      } finally {
        await engine.close();
      }
    }),
    { numRuns: 60 },
  );
});

test("block-max pruning over lists of many blocks and windows equals the oracle exactly, ties broken by document", async () => {
  // Thousands of documents drawn from a small pool of texts: lists span many postings blocks and
  // MaxScore windows, and equal texts score equally, so the k-th place is often a tie. Filler words
  // make lengths of up to a few hundred, where length floors are below the exact lengths.
  const pooled = fc.tuple(fc.array(fc.constantFrom(...WORDS), { minLength: 0, maxLength: 8 }), fc.nat({ max: 300 }));
  const pool = fc.array(pooled.map(([words, filler]) => [...words, ...Array<string>(filler).fill("filler")].join(" ")), { minLength: 2, maxLength: 60 });
  const picks = fc.array(fc.nat(), { minLength: 3000, maxLength: 10000 });
  const options = fc.record({
    k: fc.constantFrom(1, 3, 10, 100, 1000),
    match: fc.constantFrom("all" as const, "any" as const),
    minimumShouldMatch: fc.integer({ min: 1, max: 3 }),
    bm25: fc.record({ k1: fc.constantFrom(0.9, 1.2), b: fc.constantFrom(0, 0.4, 1) }),
  });
  await fc.assert(
    fc.asyncProperty(pool, picks, fc.array(query, { minLength: 1, maxLength: 8 }), options, fc.constantFrom(30_000, 1e9), async (texts, chosen, queries, searchOptions, segmentCharacters) => {
      const documents = corpus(chosen.map((pick) => texts[pick % texts.length]!));
      const oracle = buildOracle(documents);
      const { engine } = await buildSegmented(documents, { segmentCharacters, maxMergeBytes: 0 });
      try {
        for (const q of queries) assert.deepEqual(await engine.search(q, searchOptions), await oracle.search(q, searchOptions), q);
      } finally {
        await engine.close();
      }
    }),
    { numRuns: 12 },
  );
});

test("long documents, large frequencies and blocks with more impacts than kept score exactly as the oracle", async () => {
  // "apple" is the rarer term, so its list leads. Its first block holds middling documents (30
  // words), which set the k-th score. The second holds twelve long documents, document i
  // repeating "apple" 40i times in 6,000i words (frequency and length grow together, so none beats
  // another in both and the block's impact frontier has more pairs than are kept), then two-word
  // documents, the best of all: the block's bound must still cover them, or the block is skipped.
  // Lengths pass 65,535 (the short-length array's limit) and frequencies pass 255 (two LEB128 bytes).
  const middling = Array.from({ length: 130 }, () => ["apple", "banana", ...Array<string>(28).fill("filler")].join(" "));
  const long = Array.from({ length: 12 }, (_, i) => {
    const n = i + 1;
    return ["banana", ...Array<string>(40 * n).fill("apple"), ...Array<string>(6000 * n - 40 * n - 1).fill("filler")].join(" ");
  });
  const short = Array.from({ length: 20 }, (_, i) => `apple banana ${"cherry ".repeat(i % 3)}`);
  const bananas = Array.from({ length: 300 }, () => "banana");
  const documents = corpus([...middling, ...long, ...short, ...bananas]);
  const oracle = buildOracle(documents);
  const { engine } = await buildSegmented(documents);
  try {
    for (const k of [1, 3, 10, 50]) {
      for (const match of ["all", "any"] as const) {
        for (const bm25 of [{ k1: 0.9, b: 0.4 }, { k1: 1.2, b: 1 }, { k1: 2, b: 1 }, { k1: 2, b: 0 }]) {
          const options = { k, match, bm25 };
          for (const q of ["apple banana", "banana apple cherry", "apple"]) assert.deepEqual(await engine.search(q, options), await oracle.search(q, options), `${q} ${JSON.stringify(options)}`);
        }
      }
    }
  } finally {
    await engine.close();
  }
});

test("merging segments changes no result; the merged index has fewer segments", async () => {
  const texts = Array.from({ length: 400 }, (_, i) => WORDS.filter((_, w) => (i * 7 + w * 3) % (w + 2) === 0).join(" "));
  const documents = corpus(texts);
  const queries = ["apple banana", "cherry", "lemon mango kiwi", "run", "zebra the", "fig grape elder date"];
  const unmerged = await buildSegmented(documents, { segmentCharacters: 200, maxMergeBytes: 0 });
  const merged = await buildSegmented(documents, { segmentCharacters: 200, maxMergeBytes: 1e9 });
  // Room for two fifths of the segments per merge: as few segments as fit that limit (merging
  // shrinks these small segments, so a second round merges again).
  const maxMergeBytes = Math.ceil(unmerged.summary.indexBytes / 2.5);
  const fewest = await buildSegmented(documents, { segmentCharacters: 200, maxMergeBytes });
  assert.ok(unmerged.summary.segments > 20, `${unmerged.summary.segments} segments`);
  assert.equal(merged.summary.segments, 1);
  assert.equal(merged.summary.segmentsWritten, unmerged.summary.segments);
  assert.equal(fewest.summary.segments, Math.ceil(fewest.summary.indexBytes / maxMergeBytes));
  assert.ok((await readManifest(fewest.directory)).segments.every((entry) => entry.bytes <= maxMergeBytes));
  for (const match of ["all", "any"] as const) {
    const options = { k: 1000, match, bm25: { k1: 0.9, b: 0.4 } };
    const expected = await unmerged.engine.searchMany(queries, options);
    assert.deepEqual(await merged.engine.searchMany(queries, options), expected);
    assert.deepEqual(await fewest.engine.searchMany(queries, options), expected);
  }
  assert.deepEqual(merged.engine.statistics(), unmerged.engine.statistics());
  assert.deepEqual(fewest.engine.statistics(), unmerged.engine.statistics());
  await Promise.all([merged.engine.close(), unmerged.engine.close(), fewest.engine.close()]);
});

test("batches on worker threads give the same hits as one query at a time", async () => {
  const documents = corpus(Array.from({ length: 300 }, (_, i) => WORDS.filter((_, w) => (i + w) % 4 === 0 || (i * w) % 5 === 1).join(" ")));
  const { engine } = await buildSegmented(documents, { segmentCharacters: 2000 });
  const queries = Array.from({ length: 200 }, (_, i) => `${WORDS[i % WORDS.length]} ${WORDS[(i * 5) % WORDS.length]}`);
  const options = { k: 25, match: "any" as const, bm25: { k1: 0.9, b: 0.4 } };
  const one = [];
  for (const q of queries) one.push(await engine.search(q, options));
  assert.deepEqual(await engine.searchMany(queries, options), one);
  await engine.close();
});

test("duplicate ids are indexed once (the first); every document's source is found by id", async () => {
  const documents = corpus(["apple", "banana", "apple cherry", "date", "elder"], ["a", "b", "a", "c", "b"]);
  const { engine, summary } = await buildSegmented(documents, { segmentCharacters: 6 });
  assert.equal(summary.documents, 3);
  assert.equal(summary.duplicateIds, 2);
  assert.deepEqual((await engine.search("apple", { k: 5, match: "any", bm25: { k1: 0.9, b: 0.4 } })).map((hit) => hit.docId), ["a"]);
  assert.deepEqual(engine.documentSource("c"), documents[3]!.source);
  assert.equal(engine.documentSource("zzz"), undefined);
  await engine.close();
});

test("duplicate ids over more segments than one merge pass opens: the first occurrence wins, as in an index of first occurrences", async () => {
  // A third of the documents repeat the id of an earlier one (in the same segment or far back); a
  // word of their own per document makes terms that only duplicates hold vanish from the statistics.
  const texts = Array.from({ length: 240 }, (_, i) => `${WORDS.filter((_, w) => (i * 5 + w * 7) % (w + 3) === 0).join(" ")} own${i}`);
  const documents = corpus(texts, texts.map((_, i) => `d${i % 3 === 2 ? Math.floor(i / 2) : i}`));
  const seen = new Set<string>();
  const firstOccurrences = documents.filter((document) => !seen.has(document.id) && seen.add(document.id));
  const duplicates = documents.filter((document) => !firstOccurrences.includes(document));
  assert.equal(duplicates.length, 40);
  const oracle = buildOracle(firstOccurrences);
  const queries = [...WORDS, "own1 own2 own5 own8 own239", "own119 own120 apple"];
  const options = { k: 1000, match: "any" as const, bm25: { k1: 0.9, b: 0.4 } };
  const expected = await Promise.all(queries.map((q) => oracle.search(q, options)));
  const half = temporaryDirectory();
  await (await buildSegmented(documents.slice(0, 120), { segmentCharacters: 30, maxMergeBytes: 0 }, half)).engine.close();
  const builds = {
    separate: await buildSegmented(documents, { segmentCharacters: 30, maxMergeBytes: 0 }),
    merged: await buildSegmented(documents, { segmentCharacters: 30, maxMergeBytes: 1e9 }),
    appended: await buildSegmented(documents.slice(120), { segmentCharacters: 30, maxMergeBytes: 0, append: true }, half),
  };
  for (const [name, { directory, summary, engine }] of Object.entries(builds)) {
    const added = name === "appended" ? documents.slice(120) : documents;
    const addedDuplicates = duplicates.filter((document) => added.includes(document));
    assert.equal(summary.documents, firstOccurrences.length, name);
    assert.equal(summary.duplicateIds, addedDuplicates.length, name);
    assert.equal(summary.duplicateCharacters, addedDuplicates.reduce((sum, document) => sum + document.text.length, 0), name);
    assert.deepEqual(engine.statistics(), oracle.statistics(), name);
    for (const [i, q] of queries.entries()) assert.deepEqual(await engine.search(q, options), expected[i], `${name}: ${q}`);
    for (const document of firstOccurrences) assert.deepEqual(engine.documentSource(document.id), document.source, `${name}: ${document.id}`);
    const manifest = await readManifest(directory);
    assert.deepEqual(manifest.segments.filter((entry) => entry.docCount === 0), [], `${name}: no empty segment`);
    await engine.close();
  }
  assert.ok(builds.separate.summary.segmentsWritten > 64, `${builds.separate.summary.segmentsWritten} segments written`);
  assert.ok(builds.separate.summary.segments > 64, `${builds.separate.summary.segments} segments kept`);
  assert.equal(builds.merged.summary.segments, 1);
});

test("appending documents to an existing index equals building it in one go", async () => {
  const texts = Array.from({ length: 120 }, (_, i) => WORDS.filter((_, w) => (i + 3 * w) % 5 === 0).join(" "));
  const documents = corpus(texts);
  const directory = temporaryDirectory();
  const first = await buildSegmented(documents.slice(0, 70), { segmentCharacters: 500 }, directory);
  await first.engine.close();
  const appended = await buildSegmented([...documents.slice(60)], { segmentCharacters: 500, append: true }, directory);
  assert.equal(appended.summary.duplicateIds, 10, "ids already in the index are refused");
  const whole = await buildSegmented(documents, { segmentCharacters: 500 });
  const options = { k: 1000, match: "any" as const, bm25: { k1: 0.9, b: 0.4 } };
  assert.deepEqual(await appended.engine.searchMany(WORDS, options), await whole.engine.searchMany(WORDS, options));
  await Promise.all([appended.engine.close(), whole.engine.close()]);
});

test("a damaged or truncated segment is refused with the file named", async () => {
  const { directory, engine } = await buildSegmented(corpus(["apple banana", "cherry"]));
  await engine.close();
  const segment = join(directory, readdirSync(directory).find((name) => name.endsWith(".llsg"))!);
  await verifySegmentFile(segment);
  const bytes = readFileSync(segment);
  bytes[bytes.length - 60] = bytes[bytes.length - 60]! ^ 0xff;
  writeFileSync(segment, bytes);
  for (const check of [() => readSegmentFile(segment, true), () => verifySegmentFile(segment)]) {
    await assert.rejects(check(), (error) => error instanceof CorruptFileError && error.message === `${segment}: checksum mismatch (truncated or corrupt)`);
  }
  writeFileSync(segment, bytes.subarray(0, bytes.length - 10));
  await assert.rejects(SegmentedBm25Engine.open(directory), (error) => error instanceof CorruptFileError && error.message === `${segment}: truncated segment file (no footer)`);
  await assert.rejects(verifySegmentFile(segment), (error) => error instanceof CorruptFileError && error.message === `${segment}: truncated segment file (no footer)`);
});
