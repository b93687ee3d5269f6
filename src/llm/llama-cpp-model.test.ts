import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Subject } from "../core/records.js";
import { debateOptionsSchema } from "../pipeline/topics/debate-options.js";
import { loadPromptTemplates } from "../pipeline/topics/prompt-templates.js";
import { REPLY_JSON_SCHEMAS } from "../pipeline/topics/reply-parsers.js";
import { runDebate } from "../pipeline/topics/run-debate.js";
import { SHARED } from "../test-support/fixtures.js";
import { modelsConfigSchema } from "./model-config.js";
import { openModelClients } from "./open-model-clients.js";

const MODEL = join(SHARED, "models", "stories260K.gguf");
const skip = existsSync(MODEL) ? false : `${MODEL} is not there`;

test("llama.cpp: a 260K-parameter GGUF runs the whole debate, its replies held to the JSON schemas by grammar", { skip, timeout: 120_000 }, async () => {
  const local = { gguf: MODEL, contextSize: 2048, maxTokens: 300, threads: 1 };
  const models = modelsConfigSchema.parse({ storyteller: local, critic: { ...local, seed: 7 } });
  const clients = await openModelClients(models, ["storyteller", "critic"]);
  try {
    const probe = await clients.get("storyteller").complete({
      messages: [{ role: "user", content: "Suggest 2 subtopics of Cooking / Bread." }],
      temperature: 0.6,
      topP: 0.95,
      maxTokens: 300,
      jsonSchema: { ...REPLY_JSON_SCHEMAS.proposals },
    });
    assert.equal(probe.structured, "grammar");
    const reply = JSON.parse(probe.text) as { topics: Array<{ topic: string; explanation: string }> };
    assert.ok(Array.isArray(reply.topics) && reply.topics.length >= 1 && reply.topics.every((item) => typeof item.topic === "string" && typeof item.explanation === "string"), probe.text);
    assert.ok(probe.usage.promptTokens > 0 && probe.usage.completionTokens > 0);

    const subjects: Subject[] = [{ id: "CKB009", section: "Cooking", path: ["Cooking", "Courses & Dishes", "Breads"], label: "Cooking / Courses & Dishes / Breads", topicsWanted: 2 }];
    const options = debateOptionsSchema.parse({ debaters: ["storyteller", "critic"], judge: "storyteller", maxReasks: 2 });
    const result = await runDebate(subjects, { options, templates: await loadPromptTemplates(), client: clients.get, maxTokens: () => 300 });
    assert.deepEqual([result.counts.failedSubjects, result.counts.debatedSubjects], [0, 1], JSON.stringify(result.logs));
    assert.deepEqual(result.logs[0]!.calls.map((call) => `${call.step}:${call.model}`), ["propose:storyteller", "propose:critic", "critique:critic", "critique:storyteller", "judge:storyteller"]);
    assert.ok(result.topics.length >= 2);
    for (const topic of result.topics) {
      const other = topic.proposedBy === "storyteller" ? "critic" : "storyteller";
      assert.deepEqual(topic.critiques.map((critique) => critique.critic), [other]);
    }
    const usage = clients.usage();
    assert.equal(usage.storyteller!.calls + usage.critic!.calls, 6 + result.counts.reasks!);
  } finally {
    await clients.close();
  }
});
