import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../../core/errors.js";
import { sha256 } from "../../core/stable-json.js";
import type { ChatMessage } from "../../llm/chat-model.js";

export const TEMPLATE_NAMES = ["propose", "critique", "judge", "reask"] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** The placeholders each template may use, as `{{name}}`. */
export const TEMPLATE_VARIABLES: Record<TemplateName, readonly string[]> = {
  propose: ["section", "subject", "label", "count", "avoid", "notes"],
  critique: ["section", "subject", "label", "count", "topics"],
  judge: ["section", "subject", "label", "candidates"],
  reask: ["problem", "format"],
};

/** A prompt template: an optional system message and a user message with placeholders. */
export interface PromptTemplate {
  name: TemplateName;
  /** File it was read from. */
  path: string;
  system?: string;
  user: string;
}

export type PromptTemplates = Record<TemplateName, PromptTemplate>;

const SECTION_MARKER = /^===\s*(system|user)\s*===\s*$/;
const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

/**
 * The prompts litelong ships: `prompts/` at the package root, found by walking up from this
 * module, so it works from dist/ in a checkout and from an installed package alike.
 */
export function defaultPromptsDirectory(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (directory !== dirname(directory)) {
    const candidate = join(directory, "prompts");
    if (existsSync(join(candidate, "propose.md")) && existsSync(join(directory, "package.json"))) return candidate;
    directory = dirname(directory);
  }
  throw new ConfigError(["cannot find litelong's prompts/ directory (the package is incomplete)"]);
}

/**
 * Loads the four templates. Files in `overrideDirectory` (propose.md, critique.md, judge.md,
 * reask.md) replace the shipped ones one by one; every problem is reported at once.
 */
export async function loadPromptTemplates(overrideDirectory?: string): Promise<PromptTemplates> {
  const shipped = defaultPromptsDirectory();
  const problems: string[] = [];
  const templates: Partial<PromptTemplates> = {};
  for (const name of TEMPLATE_NAMES) {
    const override = overrideDirectory ? resolve(overrideDirectory, `${name}.md`) : undefined;
    const path = override && existsSync(override) ? override : join(shipped, `${name}.md`);
    const parsed = parseTemplate(name, path, await readFile(path, "utf8"));
    if (typeof parsed === "string") problems.push(parsed);
    else templates[name] = parsed;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return templates as PromptTemplates;
}

/** Splits a template file into its messages and checks its placeholders; a string is a problem. */
export function parseTemplate(name: TemplateName, path: string, text: string): PromptTemplate | string {
  const sections: Record<string, string[]> = {};
  let current = "user";
  for (const line of text.split(/\r?\n/)) {
    const marker = SECTION_MARKER.exec(line);
    if (marker) current = marker[1]!;
    else (sections[current] ??= []).push(line);
  }
  const user = sections.user?.join("\n").trim() ?? "";
  const system = sections.system?.join("\n").trim();
  if (user.length === 0) return `${path}: the ${name} template has no user message`;
  const unknown = [...`${system ?? ""}\n${user}`.matchAll(PLACEHOLDER)].map((match) => match[1]!).filter((variable) => !TEMPLATE_VARIABLES[name].includes(variable));
  if (unknown.length > 0) return `${path}: unknown placeholder ${unknown.map((variable) => `{{${variable}}}`).join(", ")}; the ${name} template may use ${TEMPLATE_VARIABLES[name].map((variable) => `{{${variable}}}`).join(", ")}`;
  return system ? { name, path, system, user } : { name, path, user };
}

/** The messages of a template with its placeholders filled in. */
export function renderTemplate(template: PromptTemplate, variables: Record<string, string | number>): ChatMessage[] {
  const fill = (text: string) => text.replace(PLACEHOLDER, (_, variable: string) => String(variables[variable] ?? ""));
  const messages: ChatMessage[] = [];
  if (template.system) messages.push({ role: "system", content: fill(template.system) });
  messages.push({ role: "user", content: fill(template.user) });
  return messages;
}

/** Digest of the templates' text, for the topics stage fingerprint. */
export function templatesDigest(templates: PromptTemplates): string {
  return sha256(TEMPLATE_NAMES.map((name) => `${templates[name].system ?? ""}\u0000${templates[name].user}`).join("\u0001")).slice(0, 16);
}
