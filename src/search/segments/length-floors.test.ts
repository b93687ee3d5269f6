import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { LENGTH_FLOORS, lengthFloorCodes } from "./length-floors.js";

test("length floors ascend strictly from 0 and are exact below 32", () => {
  assert.equal(LENGTH_FLOORS[0], 0);
  for (let code = 1; code < 256; code++) assert.ok(LENGTH_FLOORS[code]! > LENGTH_FLOORS[code - 1]!, `code ${code}`);
  for (let length = 0; length < 32; length++) assert.equal(lengthFloorCodes(Uint32Array.of(length))[0], length);
});

test("a length's code is the largest floor not above it, around every boundary and up to 2^32 - 1", () => {
  const boundaries = [...LENGTH_FLOORS].flatMap((floor) => [floor - 1, floor, floor + 1]).filter((length) => length >= 0);
  const lengths = Uint32Array.from([...boundaries, ...fc.sample(fc.nat({ max: 0xffffffff }), 2000), 0xffffffff]);
  const codes = lengthFloorCodes(lengths);
  lengths.forEach((length, i) => {
    const code = codes[i]!;
    assert.ok(LENGTH_FLOORS[code]! <= length, `length ${length}: floor ${LENGTH_FLOORS[code]} is above it`);
    assert.ok(code === 255 || LENGTH_FLOORS[code + 1]! > length, `length ${length}: code ${code} is not the largest`);
  });
});
