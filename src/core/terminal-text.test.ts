import assert from "node:assert/strict";
import { test } from "node:test";
import { escapeControlCharacters } from "./terminal-text.js";

test("escape sequences, carriage returns, DEL and C1 controls become visible; tabs, newlines and other text stay", () => {
  assert.equal(escapeControlCharacters("a\u001b[31mred\u001b]0;title\u0007\rb\u009b2J\u007f\tc\nd é ✓"), "a\\u001b[31mred\\u001b]0;title\\u0007\\u000db\\u009b2J\\u007f\tc\nd é ✓");
});
