import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "../core/errors.js";
import { corpusFormatOf, displayPathOf, resolveCorpusFiles } from "./corpus-files.js";

async function makeTree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "litelong-corpus-files-"));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(root, name, ".."), { recursive: true });
    await writeFile(join(root, name), content);
  }
  return root;
}

function summary(files: Awaited<ReturnType<typeof resolveCorpusFiles>>, root: string) {
  return files.map((file) => ({ path: file.path.slice(root.length + 1), name: file.name, format: file.format, size: file.size }));
}

test("corpusFormatOf maps every known extension, case-insensitively, and rejects others", () => {
  assert.equal(corpusFormatOf("a.jsonl"), "jsonl");
  assert.equal(corpusFormatOf("a.NDJSON"), "jsonl");
  assert.equal(corpusFormatOf("a.jsonl.gz"), "jsonl.gz");
  assert.equal(corpusFormatOf("a.json.gz"), "jsonl.gz");
  assert.equal(corpusFormatOf("a.ndjson.gz"), "jsonl.gz");
  assert.equal(corpusFormatOf("a.jsonl.zst"), "jsonl.zst");
  assert.equal(corpusFormatOf("a.ndjson.zst"), "jsonl.zst");
  assert.equal(corpusFormatOf("a.parquet"), "parquet");
  for (const extension of ["txt", "text", "md", "rst", "html", "htm"]) assert.equal(corpusFormatOf(`a.${extension}`), "text");
  assert.equal(corpusFormatOf("a.json"), undefined);
  assert.equal(corpusFormatOf("a.gz"), undefined);
  assert.equal(corpusFormatOf("a.csv"), undefined);
});

test("displayPathOf is relative below the working directory and absolute elsewhere", () => {
  assert.equal(displayPathOf(join(process.cwd(), "corpus", "a.jsonl")), join("corpus", "a.jsonl"));
  const outside = join(process.cwd(), "..", "litelong-elsewhere", "a.jsonl");
  // From the root directory every path is below the working directory.
  if (process.cwd() !== "/") assert.equal(displayPathOf(outside), outside);
});

test("a directory is walked recursively, names are relative to it, unknown and hidden files are ignored", async () => {
  const root = await makeTree({
    "corpus/b.jsonl": "{}\n",
    "corpus/sub/a.parquet": "x",
    "corpus/sub/deeper/c.html": "<p>c</p>",
    "corpus/notes.csv": "a,b",
    "corpus/.hidden.jsonl": "{}",
    "corpus/.git/d.jsonl": "{}",
  });
  const files = await resolveCorpusFiles([join(root, "corpus")]);
  assert.deepEqual(summary(files, root), [
    { path: "corpus/b.jsonl", name: "b.jsonl", format: "jsonl", size: 3 },
    { path: "corpus/sub/a.parquet", name: "sub/a.parquet", format: "parquet", size: 1 },
    { path: "corpus/sub/deeper/c.html", name: "sub/deeper/c.html", format: "text", size: 8 },
  ]);
  assert.equal(typeof files[0]!.mtimeMs, "number");
});

test("files and globs are named by basename; results are sorted and deduplicated", async () => {
  const root = await makeTree({ "x/b.jsonl.gz": "gz", "x/a.txt": "a", "y/c.jsonl.zst": "zst", "y/skip.csv": "" });
  const files = await resolveCorpusFiles([join(root, "y/*"), join(root, "x/b.jsonl.gz"), join(root, "x/*"), join(root, "x/a.txt")]);
  assert.deepEqual(summary(files, root), [
    { path: "x/a.txt", name: "a.txt", format: "text", size: 1 },
    { path: "x/b.jsonl.gz", name: "b.jsonl.gz", format: "jsonl.gz", size: 2 },
    { path: "y/c.jsonl.zst", name: "c.jsonl.zst", format: "jsonl.zst", size: 3 },
  ]);
});

test("the first argument that reaches a file names it", async () => {
  const root = await makeTree({ "d/sub/a.jsonl": "{}" });
  const files = await resolveCorpusFiles([join(root, "d"), join(root, "d/sub/a.jsonl")]);
  assert.deepEqual(summary(files, root), [{ path: "d/sub/a.jsonl", name: "sub/a.jsonl", format: "jsonl", size: 2 }]);
});

test("a path that does not exist is an InputError naming it", async () => {
  const missing = join(tmpdir(), "litelong-no-such-corpus", "a.jsonl");
  await assert.rejects(resolveCorpusFiles([missing]), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.message, `${missing}: no such file or directory`);
    return true;
  });
});

test("a glob matching nothing is an InputError naming it", async () => {
  const root = await makeTree({ "d/readme.csv": "" });
  const pattern = join(root, "d/*.jsonl");
  await assert.rejects(resolveCorpusFiles([pattern]), new InputError({ file: pattern }, "glob matches no corpus files"));
  const everything = join(root, "d/*");
  await assert.rejects(
    resolveCorpusFiles([everything]),
    new InputError({ file: everything }, "glob matches no corpus files (1 matching files have unknown extensions)"),
  );
});

test("an explicit file with an unknown extension is an InputError", async () => {
  const root = await makeTree({ "a.csv": "x" });
  const path = join(root, "a.csv");
  await assert.rejects(resolveCorpusFiles([path]), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.equal(
      error.message,
      `${path}: unknown corpus file extension; expected one of .jsonl.gz .ndjson.gz .json.gz .jsonl.zst .ndjson.zst .jsonl .ndjson .parquet .txt .text .md .rst .html .htm`,
    );
    return true;
  });
});

test("a directory without corpus files is an InputError", async () => {
  const root = await makeTree({ "d/a.csv": "x" });
  await assert.rejects(resolveCorpusFiles([join(root, "d")]), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /: directory contains no corpus files; expected files ending in \.jsonl\.gz /);
    return true;
  });
});

test("two different files with the same name are an InputError", async () => {
  const root = await makeTree({ "x/a.jsonl": "{}", "y/a.jsonl": "{}" });
  await assert.rejects(
    resolveCorpusFiles([join(root, "x/a.jsonl"), join(root, "y/a.jsonl")]),
    new InputError(
      { file: join(root, "y/a.jsonl") },
      `has the same corpus name 'a.jsonl' as ${join(root, "x/a.jsonl")}; pass their common parent directory instead`,
    ),
  );
});
