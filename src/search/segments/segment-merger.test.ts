import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { DEFAULT_ANALYSIS } from "../analyzer.js";
import { temporaryDirectory } from "../../test-support/fixtures.js";
import { SegmentBuilder, SourceTable } from "./segment-builder.js";
import { writeSegmentFile } from "./segment-file.js";
import { mergeSegments } from "./segment-merger.js";
import { SegmentReader } from "./segment-reader.js";
import { SpillingBytes } from "./spilling-bytes.js";

// Words from every UTF-8 length that analysis keeps as they are, among them characters where byte
// order and JavaScript order disagree (U+FA0E against astral ones), so walking the inputs'
// dictionaries together must order terms as a build sorts them.
const word = fc.array(fc.constantFrom("a", "b", "ab", "é", "ж", "中", "\uFA0E", "𠀀", "𐐀", "9"), { minLength: 1, maxLength: 3 }).map((pieces) => pieces.join(""));
const text = fc.array(word, { minLength: 1, maxLength: 40 }).map((words) => words.join(" "));

function buildSegment(documents: ReadonlyArray<{ id: string; text: string; line: number }>) {
  const builder = new SegmentBuilder(DEFAULT_ANALYSIS);
  const sources = new SourceTable();
  for (const { id, text, line } of documents) {
    builder.addDocument(id, text);
    sources.add({ file: line % 3 === 0 ? "b.jsonl" : "a.jsonl", locator: { kind: "line", line, byteOffset: line * 100, byteLength: text.length } });
  }
  return builder.finish(sources.encode());
}

test("a merge writes the file of a segment built from the kept documents in one go, byte for byte, also when its postings spill to disk", async () => {
  const directory = temporaryDirectory();
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 150 }), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), fc.array(fc.boolean()), fc.nat(64), async (texts, cuts, deletions, capacity) => {
      const documents = texts.map((text, line) => ({ id: `d${line}é`, text, line }));
      // Consecutive runs of the documents become the input segments.
      const bounds = [...new Set([0, ...cuts.map((cut) => cut % documents.length), documents.length])].sort((a, b) => a - b);
      const inputs = bounds.slice(1).map((end, i) => documents.slice(bounds[i]!, end));
      const deleted = inputs.map((part, i) => Uint8Array.from(part, (_, local) => (deletions[bounds[i]! + local] ? 1 : 0)));
      const kept = documents.filter((_, line) => !deletions[line]);
      if (kept.length === 0) return;
      const spill = new SpillingBytes(join(directory, `${run}.postings`), 1 + capacity);
      const merged = mergeSegments(inputs.map((part) => new SegmentReader(buildSegment(part))), deleted, spill);
      spill.close();
      const mergedFile = join(directory, `${run}-merged.llsg`);
      const builtFile = join(directory, `${run++}-built.llsg`);
      await writeSegmentFile(mergedFile, merged, { path: spill.path, length: spill.spilled });
      await writeSegmentFile(builtFile, buildSegment(kept));
      assert.ok(readFileSync(mergedFile).equals(readFileSync(builtFile)));
    }),
    { numRuns: 150 },
  );
});
