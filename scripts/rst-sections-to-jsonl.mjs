// Turns a tree of reStructuredText sources (Sphinx `_sources/*.rst.txt`) into JSONL documents,
// one per section, so the demo corpus has many short documents like a web crawl does.
// Usage: node scripts/rst-sections-to-jsonl.mjs <sourceDir> <out.jsonl>
import { readdirSync, readFileSync, writeFileSync, renameSync } from "node:fs";
import { join, relative } from "node:path";

const [sourceDirectory, outputPath] = process.argv.slice(2);
if (!sourceDirectory || !outputPath) {
  console.error("usage: rst-sections-to-jsonl.mjs <sourceDir> <out.jsonl>");
  process.exit(2);
}

const MINIMUM_CHARACTERS = 200;
const UNDERLINE = /^([=\-~^"'`#*+])\1{2,}\s*$/;

function* walk(directory) {
  for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.name.endsWith(".rst.txt")) yield path;
  }
}

// A title is a non-blank line followed by an underline at least as long as it.
function sections(text) {
  const lines = text.split("\n");
  const starts = [0];
  for (let i = 1; i + 1 < lines.length; i++) {
    const title = lines[i].trim();
    if (title.length > 0 && UNDERLINE.test(lines[i + 1]) && lines[i + 1].trim().length >= title.length && lines[i - 1].trim() === "") starts.push(i);
  }
  return starts.map((start, n) => lines.slice(start, starts[n + 1] ?? lines.length).join("\n").trim());
}

const output = [];
for (const path of walk(sourceDirectory)) {
  const name = relative(sourceDirectory, path).replace(/\.rst\.txt$/, "");
  sections(readFileSync(path, "utf8")).forEach((text, n) => {
    if (text.length >= MINIMUM_CHARACTERS) output.push(JSON.stringify({ id: `${name}#${n}`, text }));
  });
}
writeFileSync(`${outputPath}.tmp`, output.join("\n") + "\n");
renameSync(`${outputPath}.tmp`, outputPath);
console.error(`wrote ${output.length} documents to ${outputPath}`);
