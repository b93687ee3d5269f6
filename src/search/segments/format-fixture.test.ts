import { test } from "node:test";
import assert from "node:assert/strict";
import { readCorpus, resolveCorpusFiles } from "../../corpus/index.js";
import { fixtureFile, temporaryDirectory } from "../../test-support/fixtures.js";
import { DEFAULT_ANALYSIS } from "../analyzer.js";
import { SegmentedBm25Engine } from "./segmented-bm25-engine.js";
import { SegmentedIndexWriter } from "./segmented-index-writer.js";

for (const version of [1, 2, 3]) {
  test(`an index written at segment format ${version} still opens and answers like a fresh build`, async () => {
    const old = await SegmentedBm25Engine.open(fixtureFile(`index-format-${version}`), { workers: 1 });
    const directory = temporaryDirectory();
    const writer = await SegmentedIndexWriter.create(directory, { analysis: DEFAULT_ANALYSIS, memoryBytes: 512 * 2 ** 20, workers: 1 });
    const corpus = fixtureFile("corpus", "documents.parquet");
    for await (const document of readCorpus(await resolveCorpusFiles([corpus]), { textField: "text", idField: "id", onBadRecord: "skip" })) await writer.add(document);
    await writer.finish();
    const fresh = await SegmentedBm25Engine.open(directory, { workers: 1 });
    assert.deepEqual(old.statistics(), fresh.statistics());
    assert.equal(old.statistics().documentCount, 10);
    const queries = ["document about topic 3", "café naïve", "topic", "7 9", "nothing here"];
    for (const match of ["all", "any"] as const) {
      const options = { k: 10, match, bm25: { k1: 0.9, b: 0.4 } };
      const strip = (hits: Awaited<ReturnType<typeof old.searchMany>>) => hits.map((list) => list.map(({ docId, score, source }) => ({ docId, score, locator: source.locator })));
      assert.deepEqual(strip(await old.searchMany(queries, options)), strip(await fresh.searchMany(queries, options)));
    }
    await Promise.all([old.close(), fresh.close()]);
  });
}
