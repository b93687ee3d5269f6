import { test } from "node:test";
import assert from "node:assert/strict";
import { isBlankLine, splitByteLines } from "./split-byte-lines.js";

async function* chunksOf(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

async function collect(text: string, size: number): Promise<Array<[number, number, string]>> {
  const result: Array<[number, number, string]> = [];
  for await (const batch of splitByteLines(chunksOf(text, size))) {
    for (const line of batch) result.push([line.line, line.byteOffset, line.bytes.toString("utf8")]);
  }
  return result;
}

test("lines, offsets and CRLF are the same whatever the chunk size", async () => {
  const text = "\ufeffab\r\n\nçd\nlast";
  const expected: Array<[number, number, string]> = [
    [1, 3, "ab"],
    [2, 7, ""],
    [3, 8, "çd"],
    [4, 12, "last"],
  ];
  for (const size of [1, 2, 3, 5, 64]) assert.deepEqual(await collect(text, size), expected, `chunk size ${size}`);
});

test("a trailing newline does not make an extra line; empty input makes none", async () => {
  assert.deepEqual(await collect("a\n", 1), [[1, 0, "a"]]);
  assert.deepEqual(await collect("", 4), []);
});

test("isBlankLine accepts spaces, tabs and carriage returns only", () => {
  assert.equal(isBlankLine(Buffer.from(" \t\r")), true);
  assert.equal(isBlankLine(Buffer.from("")), true);
  assert.equal(isBlankLine(Buffer.from(" x ")), false);
});

test("a line over the limit comes back as its length only, and the lines around it are intact", async () => {
  const text = "short\n" + "x".repeat(25) + "\nok\n" + "y".repeat(11);
  for (const size of [1, 4, 7, 64]) {
    const lines: Array<[number, number, string, number | undefined]> = [];
    for await (const batch of splitByteLines(chunksOf(text, size), 10)) {
      for (const line of batch) lines.push([line.line, line.byteOffset, line.bytes.toString("utf8"), line.oversizedBytes]);
    }
    assert.deepEqual(lines, [
      [1, 0, "short", undefined],
      [2, 6, "", 25],
      [3, 32, "ok", undefined],
      [4, 35, "", 11],
    ], `chunk size ${size}`);
  }
});
