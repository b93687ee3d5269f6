import { test } from "node:test";
import assert from "node:assert/strict";
import { jsonValuesIn, parseCritique, parseJudgeDecision, parseProposals } from "./reply-parsers.js";

test("proposals: our object, the reference's bare array, strings, code fences and prose around", () => {
  const expected = [
    { topic: "Sourdough starters", explanation: "Wild yeast cultures." },
    { topic: "Rye breads", explanation: "" },
  ];
  assert.deepEqual(parseProposals('{"topics":[{"topic":"Sourdough starters","explanation":"Wild yeast cultures."},{"topic":"Rye breads","explanation":""}]}'), { ok: true, value: expected });
  assert.deepEqual(parseProposals('[{"topic": "Sourdough starters", "explanation": "Wild yeast cultures."}, {"topic": "Rye breads"}]'), { ok: true, value: expected });
  assert.deepEqual(parseProposals('Here you go:\n```json\n[{"topic": "Sourdough starters", "explanation": "Wild yeast cultures."}, "Rye breads",]\n```\nEnjoy!'), { ok: true, value: expected });
  assert.deepEqual(parseProposals('Sure. {"topics": [{"title": "Sourdough starters", "description": "Wild yeast cultures."}, {"topic": "Rye breads"}]} Hope it helps.'), { ok: true, value: expected });
});

test("proposals that cannot be used say why", () => {
  assert.deepEqual(parseProposals("I cannot help with that."), { ok: false, problem: "no JSON value was found in the reply" });
  assert.deepEqual(parseProposals(""), { ok: false, problem: "the reply was empty" });
  assert.deepEqual(parseProposals('{"topics": []}'), { ok: false, problem: "the JSON did not have the expected shape (topics: the list of topics is empty)" });
  assert.equal(parseProposals('{"topics": [{"topic": "cut sho').ok, false);
});

test("critiques: verdicts, the reference's {accepted, rejected} (wrapped or not), loose action words", () => {
  assert.deepEqual(parseCritique('{"verdicts":[{"id":1,"topic":"A","action":"accept","reason":"fine"},{"id":"2","topic":"B","action":"Rejected","reason":"vague"}]}'), {
    ok: true,
    value: [
      { id: 1, topic: "A", action: "accept", reason: "fine" },
      { id: 2, topic: "B", action: "reject", reason: "vague" },
    ],
  });
  const reference = { ok: true, value: [{ topic: "A", reason: "" , action: "accept" }, { id: undefined, topic: "B", reason: "too broad", action: "reject" }] };
  assert.deepEqual(parseCritique('[{"accepted": ["A"], "rejected": [{"topic": "B", "reason": "too broad"}]}]'), reference);
  assert.deepEqual(parseCritique('```\n{"accepted": ["A"], "rejected": [{"title": "B", "reason": "too broad"}]}\n```'), reference);
  assert.deepEqual(parseCritique('[{"topic":"A","decision":"keep","reason":["specific","useful"]}]'), { ok: true, value: [{ id: undefined, topic: "A", action: "accept", reason: "specific; useful" }] });
  assert.equal(parseCritique('{"accepted": [], "rejected": []}').ok, false);
  assert.equal(parseCritique('{"verdicts":[{"id":1,"action":"maybe"}]}').ok, false);
});

test("judge: removals with a summary, the reference's rejected_topics, an empty list", () => {
  assert.deepEqual(parseJudgeDecision('{"remove":[{"id":3,"topic":"C","reason":"overlaps 2"}],"summary":"good list"}'), {
    ok: true,
    value: { removals: [{ id: 3, topic: "C", reason: "overlaps 2" }], summary: "good list" },
  });
  assert.deepEqual(parseJudgeDecision('Decision: [{"rejected_topics": [{"title": "C", "reason": "overlaps", "source_model": "qwen"}], "summary": "ok"}]'), {
    ok: true,
    value: { removals: [{ id: undefined, topic: "C", reason: "overlaps" }], summary: "ok" },
  });
  assert.deepEqual(parseJudgeDecision('{"remove": [], "summary": "all good"}'), { ok: true, value: { removals: [], summary: "all good" } });
  assert.equal(parseJudgeDecision('{"keep": ["A"]}').ok, false);
});

test("JSON values are found inside prose, skipping brackets in strings", () => {
  assert.deepEqual([...jsonValuesIn('note [1] then {"a": "x ] y"} end')], [[1], { a: "x ] y" }]);
});
