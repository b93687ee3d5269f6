import { test } from "node:test";
import assert from "node:assert/strict";
import { applyRetention, type Candidate } from "./retention.js";
import { normalizeTopicText, topicKey } from "./topic-text.js";

const candidate = (text: string, actions: Array<"accept" | "reject">, judgeRemoval?: string): Candidate => ({
  proposer: "a",
  position: 1,
  text,
  explanation: "",
  critiques: actions.map((action, index) => ({ critic: `c${index}`, action, reason: `${action}s ${text}` })),
  judgeRemoval,
});

const candidates = [candidate("A", ["accept", "accept"]), candidate("B", ["accept", "reject"], "overlaps A"), candidate("C", ["reject", "reject"]), candidate("D", ["accept", "accept"], "off topic"), candidate("E", ["accept", "reject"])];

test("filter-reject keeps all but the judge's removals", () => {
  assert.deepEqual(applyRetention("filter-reject", candidates, 2), [
    { kept: true, reasons: [] },
    { kept: false, reasons: ["judge: overlaps A"] },
    { kept: true, reasons: [] },
    { kept: false, reasons: ["judge: off topic"] },
    { kept: true, reasons: [] },
  ]);
});

test("keep-accept keeps what a majority of critics accepted", () => {
  assert.deepEqual(
    applyRetention("keep-accept", candidates, 2).map((decision) => decision.kept),
    [true, false, false, true, false],
  );
  assert.deepEqual(applyRetention("keep-accept", candidates, 2)[2], { kept: false, reasons: ["c0: rejects C", "c1: rejects C"] });
});

test("keep-fixed-k keeps the k most accepted, earlier first on ties", () => {
  assert.deepEqual(applyRetention("keep-fixed-k", candidates, 3).map((decision) => decision.kept), [true, true, false, true, false]);
  assert.deepEqual(applyRetention("keep-fixed-k", candidates, 3)[4], { kept: false, reasons: ["not among the 3 most accepted (1 of 2 critics accepted)"] });
});

test("single keeps everything", () => {
  assert.ok(applyRetention("single", candidates, 1).every((decision) => decision.kept));
});

test("titles are normalised and compared without case or punctuation", () => {
  assert.equal(normalizeTopicText('  2. **"Sourdough   Bread-Making".** '), "Sourdough Bread-Making");
  assert.equal(normalizeTopicText("- Ｆｕｌｌ width:"), "Full width");
  assert.equal(topicKey("Sourdough Bread-Making."), topicKey("sourdough bread making"));
  assert.equal(topicKey("Salt & Pepper"), "salt and pepper");
});
