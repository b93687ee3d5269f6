import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { openEmbeddingClient } from "../../llm/embedding-client.js";
import { embeddingModelsConfigSchema } from "../../llm/embedding-config.js";
import { hashedEmbedding, withServer } from "../../test-support/chat-test-server.js";
import { temporaryDirectory } from "../../test-support/fixtures.js";
import type { PoolChunk } from "./chunk-pool.js";
import { DenseNegativeFinder, VECTOR_CHUNKS_FILE, VECTOR_INDEX_FILE } from "./dense-negatives.js";

const chunk = (docId: string, chunk: number, text: string): PoolChunk => ({ id: `${docId}#${chunk}`, docId, chunk, text });

/** Two chunks per document; each document's chunks share words with chunks of the others. */
const POOL: PoolChunk[] = [
  chunk("a", 0, "paging virtual memory page tables"), chunk("a", 1, "disk scheduling elevator seek time"),
  chunk("b", 0, "virtual memory paging working set"), chunk("b", 1, "compiler parsing grammar tables"),
  chunk("c", 0, "disk seek time scheduling queues"), chunk("c", 1, "parsing grammar compiler errors"),
  chunk("d", 0, "working set page faults memory"), chunk("d", 1, "elevator disk queues seek"),
];

function cosine(a: readonly number[], b: readonly number[]): number {
  return a.reduce((sum, value, i) => sum + value * b[i]!, 0);
}

test("a chunk's dense negatives are all other documents' chunks, nearest first by embedding; none from its own document", async () => {
  await withServer(() => ({ status: 500 }), async (server) => {
    const config = embeddingModelsConfigSchema.parse({ e: { baseURL: server.baseURL, model: "hashed-64", batchSize: 3 } }).e!;
    const client = openEmbeddingClient("e", config);
    const directory = join(temporaryDirectory(), "vector-index");
    const { finder } = await DenseNegativeFinder.build(POOL, client, directory, { candidates: 8, threads: 1 });
    assert.ok(existsSync(join(directory, VECTOR_INDEX_FILE)) && existsSync(join(directory, VECTOR_CHUNKS_FILE)));
    assert.equal(await finder.find(POOL), 8);
    const vectors = new Map(POOL.map((entry) => [entry.id, hashedEmbedding(entry.text)]));
    for (const entry of POOL) {
      const others = POOL.filter((other) => other.docId !== entry.docId);
      // Brute force in float64 over the same vectors; no two distances here are within float32 error of each other.
      const expected = others.map((other) => ({ id: other.id, similarity: cosine(vectors.get(entry.id)!, vectors.get(other.id)!) })).sort((x, y) => y.similarity - x.similarity);
      assert.deepEqual(finder.negatives.get(entry.id)!.map((reference) => `${reference.docId}#${reference.chunk}`), expected.map((other) => other.id), entry.id);
    }
    assert.deepEqual(finder.negatives.get("a#0")!.slice(0, 2), [{ docId: "b", chunk: 0 }, { docId: "d", chunk: 0 }]);
    // A chunk that is not indexed (a relaxed topic's new document) is embedded and searched.
    const requests = server.embeddingRequests.length;
    await finder.find([chunk("e", 0, "grammar parsing compiler")]);
    assert.equal(server.embeddingRequests.length, requests + 1);
    assert.deepEqual(finder.negatives.get("e#0")!.slice(0, 2).map((reference) => reference.docId), ["c", "b"]);
    await client.close();
  });
});
