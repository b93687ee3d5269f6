import { test } from "node:test";
import assert from "node:assert/strict";
import { NO_MORE_DOCS, PostingsCursor, type IntersectBounds } from "./postings-cursor.js";
import { PostingsEncoder } from "./postings-encoding.js";
import { BLOCK_SIZE, type SegmentParts } from "./segment-parts.js";

/** The parts a cursor reads, for lists encoded by PostingsEncoder (every document of length 1). */
function encodeLists(lists: Array<{ documents: number[]; frequencies: number[] }>): SegmentParts {
  const encoder = new PostingsEncoder();
  const termBlockStart = [0];
  // The encoder only reads each document's length and its code: stand-ins answering 1 avoid arrays of 2 billion.
  const lengthOf = new Proxy(new Uint32Array(0), { get: () => 1 });
  for (const { documents, frequencies } of lists) {
    encoder.addList(documents, frequencies, documents.length, lengthOf, lengthOf);
    termBlockStart.push(encoder.blockCount);
  }
  return {
    termDf: Uint32Array.from(lists, (list) => list.documents.length),
    termBlockStart: Uint32Array.from(termBlockStart),
    blockLastDoc: encoder.blockLastDoc.view(),
    blockOffset: Float64Array.from(encoder.blockOffsets),
    postings: encoder.postings.view(),
    blockImpactOffset: encoder.blockImpactOffset.view(),
    impacts: encoder.impacts.view(),
  } as SegmentParts;
}

// Gaps and frequencies from 1 to 4 bytes wide, over several blocks, and a list of all-1 frequencies.
const lists = [
  { documents: [0, 1, 300, 70_000, 20_000_000, 2_000_000_000], frequencies: [1, 2, 300, 70_000, 20_000_000, 1] },
  { documents: Array.from({ length: 3 * BLOCK_SIZE + 5 }, (_, i) => i * 3 + (i % 3)), frequencies: Array.from({ length: 3 * BLOCK_SIZE + 5 }, (_, i) => 1 + (i % 5)) },
  { documents: [5, 6, 7, 100_000], frequencies: [1, 1, 1, 1] },
];

test("postings of every gap and frequency width read back through nextDoc, advance and tf", () => {
  const parts = encodeLists(lists);
  lists.forEach((list, term) => {
    const cursor = new PostingsCursor(parts, term);
    const seen: Array<[number, number]> = [];
    for (let doc = cursor.nextDoc(); doc !== NO_MORE_DOCS; doc = cursor.nextDoc()) seen.push([doc, cursor.tf]);
    assert.deepEqual(seen, list.documents.map((document, i) => [document, list.frequencies[i]!]));
    // advance lands on the first document at or after each target, with its frequency.
    for (let i = 0; i < list.documents.length; i += 3) {
      const probe = new PostingsCursor(parts, term);
      const target = list.documents[i]! - (i % 2);
      const expected = list.documents.findIndex((document) => document >= target);
      assert.equal(probe.advance(target), list.documents[expected]);
      assert.equal(probe.tf, list.frequencies[expected]);
    }
    const past = new PostingsCursor(parts, term);
    assert.equal(past.advance(list.documents.at(-1)! + 1), NO_MORE_DOCS);
  });
});

/** Bounds that drop nothing (needed 0: no k-th score yet). */
function noPruning(count: number): IntersectBounds {
  return { needed: 0, scale: 1, floorNorms: new Float64Array(256), leadScale: 1, leadBound: 1, leadNorm: 1, leadFrequencies: new Int32Array(count), floorCodes: new Uint8Array(0) };
}

test("intersect keeps exactly the candidates a list holds, with their frequencies, for every gap and frequency width", () => {
  const parts = encodeLists(lists);
  // Candidates in two calls (as a conjunction offers one block of the lead list at a time): every
  // listed document, its neighbours, and documents past the list's end.
  const everyCandidate = [...new Set(lists.flatMap((list) => list.documents.flatMap((document) => [document - 1, document, document + 1])))]
    .filter((document) => document >= 0)
    .concat([2_000_000_001, 2_100_000_000])
    .sort((a, b) => a - b);
  const half = everyCandidate.length >> 1;
  lists.forEach((list, term) => {
    const cursor = new PostingsCursor(parts, term);
    const found: Array<[number, number]> = [];
    for (const part of [everyCandidate.slice(0, half), everyCandidate.slice(half)]) {
      const candidates = Int32Array.from(part);
      const kept = new Int32Array(part.length);
      const frequencies = new Int32Array(part.length);
      const count = cursor.intersect(candidates, part.length, kept, frequencies, noPruning(part.length));
      for (let i = 0; i < count; i++) found.push([candidates[kept[i]!]!, frequencies[i]!]);
    }
    assert.deepEqual(found, list.documents.map((document, i) => [document, list.frequencies[i]!]));
  });
});
