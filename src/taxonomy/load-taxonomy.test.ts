import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, InputError } from "../core/errors.js";
import { loadTaxonomy } from "./load-taxonomy.js";
import { fixtureFile } from "../test-support/fixtures.js";

let directory = "";

before(async () => {
  directory = await mkdtemp(join(tmpdir(), "litelong-taxonomy-"));
});

after(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function fixture(name: string, content: string): Promise<string> {
  const path = join(directory, name);
  await writeFile(path, content);
  return path;
}

/** The message of JSON.parse's error, which differs between Node versions. */
function jsonErrorMessage(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${text} is valid JSON`);
}

/** Asserts that loading `file` fails with exactly `message` and the given error class. */
async function assertLoadFails(file: string, errorClass: typeof InputError | typeof ConfigError, message: string) {
  await assert.rejects(loadTaxonomy(file), (error: unknown) => {
    assert.ok(error instanceof errorClass, `expected ${errorClass.name}, got ${String(error)}`);
    assert.equal(error.message, message);
    return true;
  });
}

test("'bisac' in any case loads the embedded taxonomy", async () => {
  assert.equal((await loadTaxonomy("bisac")).length, 6056);
  assert.equal((await loadTaxonomy(" BISAC ")).length, 6056);
});

test("a CSV with code,label gives one subject per row; no code gives a slug id; NBSP is normalised", async () => {
  const file = await fixture(
    "plain.csv",
    "code,label\nCKB034000,Cooking\u00a0/ Regional\u00a0&  Ethnic /\u202fFrench\n\n,\"Body, Mind & Spirit / Crystals\"\n",
  );
  assert.deepEqual(await loadTaxonomy(file), [
    {
      id: "CKB034000",
      code: "CKB034000",
      section: "Cooking",
      path: ["Cooking", "Regional & Ethnic", "French"],
      label: "Cooking / Regional & Ethnic / French",
    },
    {
      id: "body-mind-spirit-crystals",
      section: "Body, Mind & Spirit",
      path: ["Body, Mind & Spirit", "Crystals"],
      label: "Body, Mind & Spirit / Crystals",
    },
  ]);
});

test("a JSON array of objects with code,label (numeric code, extra keys ignored)", async () => {
  const file = await fixture(
    "plain.json",
    JSON.stringify([{ code: 101, label: "Science / Astronomy", colour: "blue" }, { label: "Science" }]),
  );
  assert.deepEqual(await loadTaxonomy(file), [
    { id: "101", code: "101", section: "Science", path: ["Science", "Astronomy"], label: "Science / Astronomy" },
    { id: "science", section: "Science", path: ["Science"], label: "Science" },
  ]);
});

test("a JSONL file with code,label skips blank lines", async () => {
  const file = await fixture("plain.jsonl", '{"code":"A1","label":"Art / Glass"}\n\n{"label":"Art / Folk & Outsider Art"}\n');
  assert.deepEqual(
    (await loadTaxonomy(file)).map((subject) => [subject.id, subject.label]),
    [
      ["A1", "Art / Glass"],
      ["art-folk-outsider-art", "Art / Folk & Outsider Art"],
    ],
  );
});

test("the bisac_expanded_final layout from parquet: one subject per (top_category, subcategory)", async () => {
  const file = fixtureFile("taxonomy", "bisac-expanded.parquet");
  assert.deepEqual(await loadTaxonomy(file), [
    {
      id: "COM051360",
      code: "COM051360",
      section: "Computers",
      path: ["Computers", "Programming", "Python"],
      label: "Computers / Programming / Python",
      notes: "Decorators; Asyncio",
      avoid: ["Computers / Software Development", "Education"],
      topicsWanted: 3,
    },
    {
      id: "CKB034000",
      code: "CKB034000",
      section: "Cooking",
      path: ["Cooking", "Regional & Ethnic", "French"],
      label: "Cooking / Regional & Ethnic / French",
      notes: "Sauces; Pastry",
      topicsWanted: 2,
    },
    {
      id: "CKB034000.1",
      code: "CKB034000",
      section: "Cooking",
      path: ["Cooking", "Regional & Ethnic", "Provençal"],
      label: "Cooking / Regional & Ethnic / Provençal",
      notes: "Herbs",
      topicsWanted: 1,
    },
    {
      id: "science-astronomy",
      section: "Science",
      path: ["Science", "Astronomy"],
      label: "Science / Astronomy",
      notes: "Exoplanets",
      avoid: ["Fiction", "Juvenile Nonfiction"],
      topicsWanted: 4,
    },
  ]);
});

test("the bisac_expanded_final layout from JSONL with `not` as a list, merged over the pair's rows", async () => {
  const rows = [
    { top_category: "History", subcategory: "Ancient / Rome", subtopic: "Roads", code: "HIS002020", expansion_factor: 5, not: ["Travel"] },
    { top_category: "History", subcategory: "Ancient / Rome", subtopic: "Roads", code: "HIS002020", expansion_factor: 5, not: ["Travel", "Fiction / Historical"] },
    { top_category: "History", subcategory: "Ancient / Rome", subtopic: "Aqueducts", code: "HIS002020", expansion_factor: 5, not: null },
    { top_category: "History", subcategory: "Ancient\u00a0/ Greece", subtopic: null, code: "HIS002010", expansion_factor: null, not: [] },
  ];
  const file = await fixture("expanded.jsonl", rows.map((row) => JSON.stringify(row)).join("\n"));
  assert.deepEqual(await loadTaxonomy(file), [
    {
      id: "HIS002020",
      code: "HIS002020",
      section: "History",
      path: ["History", "Ancient", "Rome"],
      label: "History / Ancient / Rome",
      notes: "Roads; Aqueducts",
      avoid: ["Travel", "Fiction / Historical"],
      topicsWanted: 5,
    },
    {
      id: "HIS002010",
      code: "HIS002010",
      section: "History",
      path: ["History", "Ancient", "Greece"],
      label: "History / Ancient / Greece",
    },
  ]);
});

test("the bisac_expanded_final layout is recognised by its columns in a CSV too", async () => {
  const file = await fixture(
    "expanded.csv",
    "top_category,subcategory,subtopic,code,expansion_factor,not\nMusic,Genres & Styles / Jazz,Bebop,MUS025000,2,\"['Biography & Autobiography / Music', \"\"Children's Music\"\"]\"\n",
  );
  assert.deepEqual(await loadTaxonomy(file), [
    {
      id: "MUS025000",
      code: "MUS025000",
      section: "Music",
      path: ["Music", "Genres & Styles", "Jazz"],
      label: "Music / Genres & Styles / Jazz",
      notes: "Bebop",
      avoid: ["Biography & Autobiography / Music", "Children's Music"],
      topicsWanted: 2,
    },
  ]);
});

test("unknown extensions and non-files are configuration errors naming the source", async () => {
  const text = join(directory, "tax.txt");
  await assertLoadFails(
    text,
    ConfigError,
    `taxonomy "${text}" has the unknown extension ".txt"; expected "bisac" or a .csv, .json, .jsonl or .parquet file`,
  );
  await assertLoadFails(
    "bisca",
    ConfigError,
    'taxonomy "bisca" has no file extension; expected "bisac" or a .csv, .json, .jsonl or .parquet file',
  );
  const missing = join(directory, "missing.csv");
  await assertLoadFails(missing, ConfigError, `taxonomy file "${missing}" does not exist`);
  const folder = join(directory, "folder.json");
  await mkdir(folder);
  await assertLoadFails(folder, ConfigError, `taxonomy "${folder}" is not a file`);
});

test("an empty taxonomy is an error naming the file", async () => {
  const csv = await fixture("empty.csv", "code,label\n");
  await assertLoadFails(csv, InputError, `${csv}: the taxonomy is empty; expected at least one subject row`);
  const json = await fixture("empty.json", "[]");
  await assertLoadFails(json, InputError, `${json}: the taxonomy is empty; expected at least one subject row`);
});

test("one bad row gives one InputError with file:line and field", async () => {
  const file = await fixture("one-bad.csv", "code,label\nA1,Cooking / Pies\nA2,\n");
  await assertLoadFails(file, InputError, `${file}:3 field 'label': empty; expected "SECTION / Sub"`);
});

test("every bad CSV row is reported at once, in file order", async () => {
  const file = await fixture(
    "bad.csv",
    [
      "code,label",
      "A1,Cooking / Pies",
      "A2,  ",
      "A3,Cooking /  / Tarts",
      "A1,Cooking / Cakes",
      ",Cooking / Pies",
      ",日本 / 東京",
    ].join("\n"),
  );
  await assertLoadFails(
    file,
    InputError,
    [
      `${file}: 5 problems:`,
      `  - ${file}:3 field 'label': empty; expected "SECTION / Sub"`,
      `  - ${file}:4 field 'label': "Cooking /  / Tarts" has an empty part; expected "SECTION / Sub"`,
      `  - ${file}:5 field 'code': duplicate id "A1" (also at ${file}:2)`,
      `  - ${file}:6 field 'label': duplicate label "Cooking / Pies" (also at ${file}:2)`,
      `  - ${file}:7 field 'label': "日本 / 東京" gives an empty id (no ASCII letters or digits); add a code`,
    ].join("\n"),
  );
});

test("every bad JSONL line is reported at once, with the field", async () => {
  const file = await fixture(
    "bad.jsonl",
    [
      '{"code":"A1","label":"Art / Glass"}',
      "{not json",
      "[1, 2]",
      '{"code":"A3","label":7}',
      '{"code":true}',
    ].join("\n"),
  );
  await assertLoadFails(
    file,
    InputError,
    [
      `${file}: 5 problems:`,
      `  - ${file}:2: not valid JSON: ${jsonErrorMessage("{not json")}`,
      `  - ${file}:3: expected a JSON object, got array`,
      `  - ${file}:4 field 'label': expected "SECTION / Sub", got number`,
      `  - ${file}:5 field 'code': expected a string code, got boolean`,
      `  - ${file}:5 field 'label': missing; expected "SECTION / Sub"`,
    ].join("\n"),
  );
});

test("bad bisac_expanded_final rows are reported with their fields", async () => {
  const rows = [
    { top_category: "", subcategory: "Jazz", expansion_factor: 1 },
    { top_category: "Music", subcategory: "Jazz", expansion_factor: 0 },
    { top_category: "Music", subcategory: "Blues", expansion_factor: "many", not: 3 },
    { top_category: "Music", expansion_factor: 2.5, not: ["Art", 4] },
  ];
  const file = await fixture("bad-expanded.json", JSON.stringify(rows));
  await assertLoadFails(
    file,
    InputError,
    [
      `${file}: 7 problems:`,
      `  - ${file} row 0 field 'top_category': empty; expected a section such as "Computers"`,
      `  - ${file} row 1 field 'expansion_factor': 0; expected a positive integer`,
      `  - ${file} row 2 field 'expansion_factor': "many"; expected a positive integer`,
      `  - ${file} row 2 field 'not': expected a string or a list of strings, got number`,
      `  - ${file} row 3 field 'subcategory': missing; expected a subcategory such as "Programming / Python"`,
      `  - ${file} row 3 field 'expansion_factor': 2.5; expected a positive integer`,
      `  - ${file} row 3 field 'not': expected a string or a list of strings, got a list with a non-string item`,
    ].join("\n"),
  );
});

test("a file of an unknown layout is one problem listing the columns found", async () => {
  const file = await fixture("layout.csv", "name,parent\nPies,Cooking\n");
  await assertLoadFails(
    file,
    InputError,
    `${file}: unknown layout: columns "name", "parent"; expected code,label ` +
      "or the bisac_expanded_final columns top_category,subcategory,subtopic,code,expansion_factor,not",
  );
});

test("unreadable files fail at once with the file named", async () => {
  const notArray = await fixture("object.json", '{"label":"Art"}');
  await assertLoadFails(notArray, InputError, `${notArray}: expected a JSON array of objects, got object`);
  const quote = await fixture("quote.csv", 'code,label\nA1,"Art / Glass\n');
  await assert.rejects(loadTaxonomy(quote), {
    name: "InputError",
    message: /^.*quote\.csv:2: not valid CSV: Quote Not Closed/,
  });
  const parquet = await fixture("fake.parquet", "not parquet at all");
  await assert.rejects(loadTaxonomy(parquet), { name: "InputError", message: /fake\.parquet: not a readable parquet file: / });
});
