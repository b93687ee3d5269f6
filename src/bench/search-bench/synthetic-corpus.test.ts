import { test } from "node:test";
import assert from "node:assert/strict";
import { benchCorpusLines, novelWordOf, type CorpusShape } from "./synthetic-corpus.js";
import type { TextFile } from "./bench-text-sources.js";

const FILES: TextFile[] = [
  {
    name: "a.txt",
    paragraphs: Array.from({ length: 30 }, (_, index) => `Disks number ${index} hold partitions. Partitions hold file systems. Each file system has a journal and a superblock.`),
  },
  {
    name: "b.txt",
    paragraphs: Array.from({ length: 20 }, (_, index) => `Packets travel through router ${index}. Routers read headers and forward packets. The network stack keeps queues of sockets.`),
  },
];
const REAL_BYTES = FILES.flatMap((file) => file.paragraphs).reduce((sum, paragraph) => sum + paragraph.length, 0);

function corpus(shape: CorpusShape): string[] {
  return [...benchCorpusLines(FILES, shape)];
}

test("the same text, size and seed give the same corpus; another seed another one", () => {
  const shape = { bytes: 200_000, seed: 7, novelWordRate: 0.01 };
  const first = corpus(shape);
  assert.deepEqual(corpus(shape), first);
  assert.notDeepEqual(corpus({ ...shape, seed: 8 }), first);
});

test("lines are {id, text} JSON with ids 1..N, sized 300 bytes to a few KB, within the byte budget", () => {
  const lines = corpus({ bytes: 200_000, seed: 3, novelWordRate: 0.01 });
  const totalBytes = lines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
  assert.ok(totalBytes <= 200_000 && totalBytes > 200_000 - 7000, `total ${totalBytes}`);
  lines.forEach((line, index) => {
    const record = JSON.parse(line) as Record<string, unknown>;
    assert.deepEqual(Object.keys(record), ["id", "text"]);
    assert.equal(record.id, String(index + 1));
    const length = (record.text as string).length;
    assert.ok(length >= 100 && length < 7000, `document ${index + 1} has ${length} characters`);
  });
});

test("real paragraphs come first, whole and in file order; synthetic documents reuse real sentences", () => {
  const texts = corpus({ bytes: 100_000, seed: 1, novelWordRate: 0 }).map((line) => (JSON.parse(line) as { text: string }).text);
  const realParagraphs = FILES.flatMap((file) => file.paragraphs);
  let realCharacters = 0;
  let count = 0;
  while (realCharacters < REAL_BYTES) realCharacters += texts[count++]!.split("\n\n").reduce((sum, part) => sum + part.length, 0);
  assert.deepEqual(texts.slice(0, count).flatMap((text) => text.split("\n\n")), realParagraphs);
  const realSentences = new Set(realParagraphs.flatMap((paragraph) => paragraph.split(/(?<=\.) /)));
  for (const text of texts.slice(count)) {
    for (const sentence of text.split(/\n\n|(?<=\.) /)) assert.ok(realSentences.has(sentence), `not a real sentence: ${sentence}`);
  }
});

test("novel words appear at the configured rate and grow the vocabulary", () => {
  const words = (rate: number) => new Set(corpus({ bytes: 300_000, seed: 5, novelWordRate: rate }).flatMap((line) => (JSON.parse(line) as { text: string }).text.split(/[^a-z]+/)));
  const without = words(0);
  const withNovel = words(0.01);
  const added = [...withNovel].filter((word) => !without.has(word));
  assert.ok(added.length > 50, `only ${added.length} new words`);
  assert.ok(added.every((word) => /^([bcdfghjklmnpqrstvwxyz][aeiou]){3,}$/.test(word)), added.join(" "));
});

test("novel words spell a rank's base-105 digits as consonant-vowel syllables, lowest first", () => {
  assert.equal(novelWordOf(0), "");
  assert.equal(novelWordOf(1), "ca");
  assert.equal(novelWordOf(21), "be");
  assert.equal(novelWordOf(105), "baca");
  assert.equal(novelWordOf(105 ** 2), "babaca");
});
