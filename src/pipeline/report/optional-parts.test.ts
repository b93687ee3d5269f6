import { test } from "node:test";
import assert from "node:assert/strict";
import { dropReasons } from "./drop-reasons.js";
import { groupFigures, nextLongPart } from "./optional-parts.js";
import { REPORT_CLIENT_SCRIPT } from "./report-client-script.js";

const stage = (name: string, counts: Record<string, number>, facts: Record<string, string> = {}) => ({ name, seconds: 0, finishedAt: "", counts, facts });

test("figures group at the first or last dot, sorted by key", () => {
  const entries = { "proposals.Qwen2.5-7B": 10, topics: 4, "proposals.mixtral": 12 };
  assert.deepEqual(groupFigures(entries, "first"), [
    { group: "proposals", name: "Qwen2.5-7B", value: "10" },
    { group: "proposals", name: "mixtral", value: "12" },
    { group: "", name: "topics", value: "4" },
  ]);
  assert.deepEqual(groupFigures({ "Qwen2.5-7B.promptTokens": 5 }, "last"), [{ group: "Qwen2.5-7B", name: "promptTokens", value: "5" }]);
});

test("drop reasons follow the naming convention, known ones explained, used documents left out", () => {
  const drops = dropReasons([stage("index", { documents: 9, "skipped.bad-id": 1 }), stage("pack", { "documents.used": 5, "documents.overflow": 2, "dropped.novel-reason": 3, samples: 2 })]);
  assert.deepEqual(drops.map((drop) => [drop.stage, drop.key, drop.count, drop.meaning !== ""]), [
    ["index", "skipped.bad-id", 1, true],
    ["pack", "documents.overflow", 2, true],
    ["pack", "dropped.novel-reason", 3, false],
  ]);
});

test("NExtLong figures appear once a stage records them", () => {
  assert.deepEqual(nextLongPart([stage("pack", { "nextlong.negatives": 40 }, { "negatives.source": "bm25" })]), {
    present: true,
    figures: [{ group: "pack", name: "nextlong.negatives", value: "40" }, { group: "pack", name: "negatives.source", value: "bm25" }],
    samples: [],
    totals: { samples: 0, positives: 0, negatives: 0, positiveTokens: 0, negativeTokens: 0 },
  });
});

test("the page script parses as JavaScript", () => {
  assert.doesNotThrow(() => new Function(REPORT_CLIENT_SCRIPT));
});
