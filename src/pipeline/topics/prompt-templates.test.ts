import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../../core/errors.js";
import { temporaryDirectory } from "../../test-support/fixtures.js";
import { loadPromptTemplates, parseTemplate, renderTemplate, templatesDigest } from "./prompt-templates.js";

test("the shipped templates load and render with every placeholder filled", async () => {
  const templates = await loadPromptTemplates();
  const messages = renderTemplate(templates.propose, { section: "Cooking", subject: "Breads", label: "Cooking / Breads", count: 20, avoid: "none", notes: "" });
  assert.deepEqual(messages.map((message) => message.role), ["system", "user"]);
  assert.match(messages[1]!.content, /^Book-subject section: Cooking\nHeading within it: Breads\n/);
  assert.match(messages[1]!.content, /Suggest 20 subtopics/);
  for (const name of ["propose", "critique", "judge", "reask"] as const) assert.doesNotMatch(JSON.stringify(renderTemplate(templates[name], {})), /\{\{/);
});

test("a directory of overrides replaces templates one by one; bad placeholders are reported together", async () => {
  const directory = temporaryDirectory();
  writeFileSync(join(directory, "judge.md"), "=== user ===\nList for {{subject}}:\n{{candidates}}\nRemove the weak ones as JSON.\n");
  const shipped = await loadPromptTemplates();
  const custom = await loadPromptTemplates(directory);
  assert.equal(custom.judge.path, join(directory, "judge.md"));
  assert.equal(custom.judge.system, undefined);
  assert.deepEqual(renderTemplate(custom.judge, { subject: "Breads", candidates: "1. Rye" }), [{ role: "user", content: "List for Breads:\n1. Rye\nRemove the weak ones as JSON." }]);
  assert.equal(custom.propose.user, shipped.propose.user);
  assert.notEqual(templatesDigest(custom), templatesDigest(shipped));

  writeFileSync(join(directory, "critique.md"), "Review {{topics}} for {{audience}}.");
  writeFileSync(join(directory, "propose.md"), "=== system ===\nOnly a system message.\n");
  const error = await loadPromptTemplates(directory).catch((caught: unknown) => caught);
  assert.ok(error instanceof ConfigError);
  assert.equal(error.problems.length, 2);
  assert.match(error.problems[0]!, /propose\.md: the propose template has no user message/);
  assert.match(error.problems[1]!, /critique\.md: unknown placeholder \{\{audience\}\}; the critique template may use \{\{section\}\}/);
  assert.equal(typeof parseTemplate("reask", "x.md", "No markers: all of it is the user message {{problem}}"), "object");
});
