import { z } from "zod";

/**
 * Facts of MosaicML Streaming's MDS format (format "mds", index version 2) that the writer and
 * reader share. Everything here was checked against mosaicml/streaming's MDS writer/reader
 * source; see test-fixtures/mds/README.md for the byte layout and where each fact comes from.
 */

/** Streaming's default `size_limit`: 64 MiB per shard. */
export const MDS_DEFAULT_SIZE_LIMIT_BYTES = 1 << 26;

/** Sample offsets are uint32, so no shard (and no size limit) may reach 4 GiB. */
export const MDS_MAX_SHARD_BYTES = 0xffff_ffff;

/** Basename of the dataset index streaming looks for. */
export const MDS_INDEX_FILE = "index.json";

/** Hash algorithms recorded per shard (streaming names them after Python's hashlib). */
export const MDS_HASHES = ["sha256"] as const;

/**
 * The columns ProLong's training code reads, in streaming's order (MDSWriter sorts columns by
 * name). Sizes: `null` = variable size (a uint32 size precedes the sample's data), 8 = int64.
 * The encodings are the ones ProLong's packing tool (datatools) infers for its packed data:
 * numpy uint32 arrays become `ndarray:uint32`, Python ints `int`, strings `str`.
 */
export const MDS_COLUMNS = [
  { name: "domain", encoding: "str", size: null },
  { name: "indices", encoding: "ndarray:uint32", size: null },
  { name: "input_ids", encoding: "ndarray:uint32", size: null },
  { name: "length", encoding: "int", size: 8 },
] as const;

/** `shard.00000.mds`: streaming's raw shard basename for a 0-based shard number. */
export function mdsShardFileName(shardNumber: number): string {
  return `shard.${String(shardNumber).padStart(5, "0")}.mds`;
}

/** The shard-writing configuration streaming stores in every shard header and index entry. */
export type MdsShardConfig = {
  column_encodings: string[];
  column_names: string[];
  column_sizes: Array<number | null>;
  compression: string | null;
  format: "mds";
  hashes: string[];
  size_limit: number | null;
  version: 2;
};

/** The configuration this project writes, for a given size limit. */
export function mdsShardConfig(sizeLimitBytes: number): MdsShardConfig {
  return {
    column_encodings: MDS_COLUMNS.map((column) => column.encoding),
    column_names: MDS_COLUMNS.map((column) => column.name),
    column_sizes: MDS_COLUMNS.map((column) => column.size),
    compression: null,
    format: "mds",
    hashes: [...MDS_HASHES],
    size_limit: sizeLimitBytes,
    version: 2,
  };
}

const fileInfoSchema = z.object({
  basename: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  hashes: z.record(z.string(), z.string()),
});

const shardEntrySchema = z.object({
  column_encodings: z.array(z.string()),
  column_names: z.array(z.string()),
  column_sizes: z.array(z.number().int().positive().nullable()),
  compression: z.string().nullable(),
  format: z.literal("mds"),
  hashes: z.array(z.string()),
  raw_data: fileInfoSchema,
  samples: z.number().int().nonnegative(),
  size_limit: z.number().int().positive().nullable(),
  version: z.literal(2),
  zip_data: fileInfoSchema.nullable(),
});

/** index.json of an MDS dataset: `{ shards: [...], version: 2 }`. */
export const mdsIndexSchema = z.object({
  shards: z.array(shardEntrySchema),
  version: z.literal(2),
});
/** A parsed index.json. */
export type MdsIndex = z.infer<typeof mdsIndexSchema>;
/** One shard's entry in index.json: its configuration plus raw_data, samples and zip_data. */
export type MdsShardEntry = MdsIndex["shards"][number];

/** A value Python's json module can write and this module can reproduce byte for byte. */
export type PythonJsonValue = null | boolean | number | string | PythonJsonValue[] | { [key: string]: PythonJsonValue };

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};

/**
 * The text of Python's `json.dumps(value, sort_keys=True)` with its defaults (", " and ": "
 * separators, ensure_ascii): streaming writes shard headers and index.json this way, and
 * byte-identical output needs the same spelling. Integers only: Python spells floats its own way.
 */
export function pythonJsonText(value: PythonJsonValue): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new RangeError(`pythonJsonText writes safe integers only, got ${value}`);
    return String(value);
  }
  if (typeof value === "string") return pythonJsonString(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonText).join(", ")}]`;
  // Keys here are ASCII, where UTF-16 order equals Python's code-point order.
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${pythonJsonString(key)}: ${pythonJsonText(value[key]!)}`).join(", ")}}`;
}

/** ensure_ascii: everything outside printable ASCII becomes \uXXXX (UTF-16 units, lower-case hex). */
function pythonJsonString(text: string): string {
  const escaped = text.replace(/["\\]|[^ -~]/g, (character) => {
    return SHORT_ESCAPES[character] ?? `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
  return `"${escaped}"`;
}
