import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../../core/errors.js";
import {
  MDS_COLUMNS,
  MDS_INDEX_FILE,
  mdsIndexSchema,
  pythonJsonText,
  type MdsIndex,
  type MdsShardConfig,
  type MdsShardEntry,
} from "./mds-format.js";
import { decodeMdsSample, type MdsSample } from "./mds-sample-encoding.js";

/** Options of {@link readMdsSamples}. */
export interface ReadMdsOptions {
  /** Check each shard's SHA-256 against index.json when the index records one; default true. */
  verifyHashes?: boolean;
}

/**
 * Reads and checks index.json of an MDS dataset with ProLong's columns (as MdsSampleWriter or
 * streaming's MDSWriter write it). Throws an InputError naming index.json and every problem.
 */
export async function readMdsIndex(directory: string): Promise<MdsIndex> {
  const path = join(directory, MDS_INDEX_FILE);
  const json = parseJson(await readInput(path, "utf8", "missing: not an MDS dataset, or its writer did not finish"), path);
  const parsed = mdsIndexSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
    throw new InputError({ file: path }, problems.join("; "));
  }
  const problems = parsed.data.shards.flatMap((entry, shardNumber) => shardEntryProblems(entry, shardNumber));
  if (problems.length > 0) throw new InputError({ file: path }, problems.join("; "));
  return parsed.data;
}

/**
 * Yields the samples of an MDS dataset in order, shard by shard. Each shard's header, offset
 * table, size, hash and every sample are checked; damage is an InputError naming the shard file,
 * the sample's index within the shard (`row`) and the column, plus its index in the dataset.
 * One whole shard is held in memory at a time (at most the size limit, 64 MiB by default).
 */
export async function* readMdsSamples(directory: string, options: ReadMdsOptions = {}): AsyncGenerator<MdsSample> {
  const index = await readMdsIndex(directory);
  let firstSample = 0;
  for (const entry of index.shards) {
    const shard = await openShard(join(directory, entry.raw_data.basename), entry, firstSample, options.verifyHashes ?? true);
    for (let row = 0; row < entry.samples; row++) yield shard.sample(row);
    firstSample += entry.samples;
  }
}

interface OpenedShard {
  sample(row: number): MdsSample;
}

/** Reads one shard file and checks it as a whole before any of its samples is handed out. */
async function openShard(path: string, entry: MdsShardEntry, firstSample: number, verifyHashes: boolean): Promise<OpenedShard> {
  const bytes = await readInput(path, null, "missing: index.json lists it");
  const offsets = readOffsets(bytes, entry, path, firstSample);
  const sample = (row: number): MdsSample =>
    decodeMdsSample(bytes.subarray(offsets[row], offsets[row + 1]), (field, problem) => {
      throw new InputError({ file: path, row, ...(field === undefined ? {} : { field }) }, `${problem} (sample ${firstSample + row} of the dataset)`);
    });
  const wholeFileProblem = fileProblem(bytes, entry, verifyHashes);
  if (wholeFileProblem !== undefined) {
    // Decoding every sample usually pins the damage to one sample; if not, report the file.
    for (let row = 0; row < entry.samples; row++) sample(row);
    throw new InputError({ file: path }, wholeFileProblem);
  }
  return { sample };
}

/** Size and hash against index.json; undefined when both agree. */
function fileProblem(bytes: Buffer, entry: MdsShardEntry, verifyHashes: boolean): string | undefined {
  if (bytes.length !== entry.raw_data.bytes) return `is ${bytes.length} bytes but index.json says ${entry.raw_data.bytes}`;
  const expected = entry.raw_data.hashes["sha256"];
  if (!verifyHashes || expected === undefined) return undefined;
  const actual = createHash("sha256").update(bytes).digest("hex");
  return actual === expected ? undefined : `sha256 is ${actual} but index.json says ${expected}: the shard's bytes changed`;
}

/**
 * Checks the header — [count: uint32][count + 1 absolute uint32 offsets][config JSON] — and
 * returns the offsets (sample `row` spans offsets[row] to offsets[row + 1]).
 */
function readOffsets(bytes: Buffer, entry: MdsShardEntry, path: string, firstSample: number): Uint32Array {
  const fail = (problem: string, row?: number): never => {
    if (row === undefined) throw new InputError({ file: path }, problem);
    throw new InputError({ file: path, row }, `${problem} (sample ${firstSample + row} of the dataset)`);
  };
  if (bytes.length < 4) fail(`is ${bytes.length} bytes, too short for an MDS header`);
  const count = bytes.readUInt32LE(0);
  if (count !== entry.samples) fail(`header counts ${count} samples but index.json says ${entry.samples}`);
  const tableEnd = 4 + 4 * (count + 1);
  if (bytes.length < tableEnd) fail(`is ${bytes.length} bytes, too short for the offset table of ${count} samples`);
  const offsets = new Uint32Array(count + 1);
  for (let position = 0; position <= count; position++) offsets[position] = bytes.readUInt32LE(4 + 4 * position);
  // Streaming writes the same configuration into the header as into the index entry.
  const config = Buffer.from(pythonJsonText(shardConfigOf(entry)), "utf8");
  const dataStart = tableEnd + config.length;
  if (offsets[0] !== dataStart) fail(`offset table says the sample starts at byte ${offsets[0]}, but the header ends at byte ${dataStart}`, 0);
  if (!bytes.subarray(tableEnd, dataStart).equals(config)) fail("header configuration differs from the shard's index.json entry");
  for (let row = 0; row < count; row++) {
    const start = offsets[row]!;
    const end = offsets[row + 1]!;
    if (end < start) fail(`offset table says the sample ends at byte ${end}, before it starts at byte ${start}`, row);
    if (end > bytes.length) fail(`sample runs to byte ${end}, past the end of the ${bytes.length}-byte file: the shard is truncated`, row);
  }
  const end = offsets[count]!;
  if (end !== bytes.length) fail(`${bytes.length - end} bytes follow the last sample (offset table ends at byte ${end})`);
  return offsets;
}

/** The configuration part of an index entry, which is what the shard header holds. */
function shardConfigOf(entry: MdsShardEntry): MdsShardConfig {
  const { column_encodings, column_names, column_sizes, compression, format, hashes, size_limit, version } = entry;
  return { column_encodings, column_names, column_sizes, compression, format, hashes, size_limit, version };
}

/** What this reader cannot or must not read in an index entry. */
function shardEntryProblems(entry: MdsShardEntry, shardNumber: number): string[] {
  const problems: string[] = [];
  const where = `shards.${shardNumber}`;
  const expectedColumns = MDS_COLUMNS.map((column) => `${column.name}:${column.encoding}:${column.size ?? "variable"}`);
  const columns = entry.column_names.map((name, position) => {
    return `${name}:${entry.column_encodings[position]}:${entry.column_sizes[position] ?? "variable"}`;
  });
  const sameLengths = entry.column_encodings.length === columns.length && entry.column_sizes.length === columns.length;
  if (!sameLengths || columns.join(",") !== expectedColumns.join(",")) {
    problems.push(`${where}: columns are [${columns.join(", ")}], expected [${expectedColumns.join(", ")}]`);
  }
  if (entry.compression !== null || entry.zip_data !== null) {
    problems.push(`${where}: compressed shards (${entry.compression}) are not supported; expected compression null`);
  }
  if (!/^[^/\\]+$/.test(entry.raw_data.basename) || entry.raw_data.basename === "..") {
    problems.push(`${where}.raw_data.basename: '${entry.raw_data.basename}' is not a file name inside the dataset`);
  }
  return problems;
}

async function readInput(path: string, encoding: "utf8", missing: string): Promise<string>;
async function readInput(path: string, encoding: null, missing: string): Promise<Buffer>;
async function readInput(path: string, encoding: "utf8" | null, missing: string): Promise<string | Buffer> {
  try {
    return await readFile(path, encoding === null ? {} : { encoding });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new InputError({ file: path }, missing, { cause: error });
    throw error;
  }
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError({ file: path }, `is not JSON: ${(error as Error).message}`, { cause: error });
  }
}
