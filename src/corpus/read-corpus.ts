import { InputError, formatLocation, type InputLocation } from "../core/errors.js";
import { ParquetFile } from "../core/parquet-file.js";
import type { CorpusDocument } from "../core/records.js";
import { displayPathOf, type CorpusFile } from "./corpus-files.js";
import { CorpusRecordChecker, tooLargeProblem, type BadRecord, type RecordProblem } from "./corpus-record-checker.js";
import { readDecompressedChunks } from "./read-decompressed-chunks.js";
import { readTextDocument, textDocumentId } from "./read-text-document.js";
import { isBlankLine, splitByteLines } from "./split-byte-lines.js";

export type { BadRecord, BadRecordReason } from "./corpus-record-checker.js";

/** How {@link readCorpus} reads records and what it does with bad ones. */
export interface CorpusReadOptions {
  /** Field (JSONL key, parquet column) holding the document text. Default "text". */
  textField: string;
  /**
   * Field holding the document id. Default "id". When a record has none (or null), the id is
   * `${file.name}:${line}` for JSONL (1-based line), `${file.name}#${row}` for parquet (0-based
   * row); a text file's id is its name without the extension ("CACM-0001.html" -> "CACM-0001").
   */
  idField: string;
  /** "fail": throw InputError at the first bad record; "skip": report it and go on. Default "fail". */
  onBadRecord: "fail" | "skip";
  /**
   * Largest document, in bytes of UTF-8 text (of the JSONL line for JSONL), that is read; larger
   * ones are bad records ("too-large") and never held in memory whole. Default 16 MiB: about
   * 4M tokens, eight 512K samples from one document, far above real web or book-chapter
   * documents, while a 100 MB line would cost ~1 GB to index and ~1.5 GB to pack.
   * (Not yet a CLI flag: the index stage passes only the fields it fingerprints.)
   */
  maxDocumentBytes?: number;
  /** Receives each skipped bad record (only with onBadRecord "skip"). */
  reportBadRecord?: (bad: BadRecord) => void;
  /** Called now and then with the compressed / on-disk bytes consumed so far in `file`. */
  onBytesRead?: (file: CorpusFile, bytes: number) => void;
}

/** The defaults of {@link CorpusReadOptions}. */
export const defaultCorpusReadOptions: Readonly<CorpusReadOptions> = { textField: "text", idField: "id", onBadRecord: "fail" };

/** Default of CorpusReadOptions.maxDocumentBytes: 16 MiB. */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

/** What every per-format reader needs: the file, the checker, and where bad records go. */
interface ReadContext {
  file: CorpusFile;
  label: string;
  checker: CorpusRecordChecker;
  options: CorpusReadOptions;
  maxDocumentBytes: number;
  rejectRecord(problem: RecordProblem, location: InputLocation): void;
}

/**
 * Streams every document of every file, files in the given order and records in file order.
 * Memory stays bounded: JSONL is streamed (and decompressed) chunk by chunk, parquet is read
 * one row group at a time (text and id columns only), a text file is one document.
 *
 * @throws InputError for the first bad record with onBadRecord "fail"; always for files that
 *   cannot be read, truncated or corrupt compressed data, non-parquet files and a parquet file
 *   without the text column
 */
export async function* readCorpus(files: CorpusFile[], options: CorpusReadOptions): AsyncGenerator<CorpusDocument> {
  const checker = new CorpusRecordChecker({ textField: options.textField, idField: options.idField });
  for (const file of files) {
    const context: ReadContext = {
      file,
      label: displayPathOf(file.path),
      checker,
      options,
      maxDocumentBytes: options.maxDocumentBytes ?? MAX_DOCUMENT_BYTES,
      rejectRecord: (problem, location) => rejectRecord(options, problem, location),
    };
    if (file.format === "parquet") yield* readParquetDocuments(context);
    else if (file.format === "text") yield* readTextFileDocument(context);
    else yield* readJsonlDocuments(context, file.format);
  }
}

function rejectRecord(options: CorpusReadOptions, problem: RecordProblem, location: InputLocation): void {
  if (options.onBadRecord === "fail") throw new InputError(location, problem.problem);
  options.reportBadRecord?.({ reason: problem.reason, location, message: `${formatLocation(location)}: ${problem.problem}` });
}

async function* readJsonlDocuments(context: ReadContext, format: "jsonl" | "jsonl.gz" | "jsonl.zst"): AsyncGenerator<CorpusDocument> {
  const { file, label, checker, options } = context;
  const chunks = readDecompressedChunks(file.path, format, {
    label,
    onRawBytes: (bytes) => options.onBytesRead?.(file, bytes),
  });
  for await (const lines of splitByteLines(chunks, context.maxDocumentBytes)) {
    for (const { line, byteOffset, bytes, oversizedBytes } of lines) {
      if (oversizedBytes !== undefined) {
        context.rejectRecord(tooLargeProblem(oversizedBytes, context.maxDocumentBytes), { file: label, line });
        continue;
      }
      if (isBlankLine(bytes)) continue;
      const checked = checker.checkJsonLine(bytes);
      if ("problem" in checked) {
        context.rejectRecord(checked.problem, withField({ file: label, line }, checked.problem));
        continue;
      }
      yield {
        id: checked.record.id ?? `${file.name}:${line}`,
        text: checked.record.text,
        source: { file: file.path, locator: { kind: "line", line, byteOffset, byteLength: bytes.length } },
      };
    }
  }
}

async function* readParquetDocuments(context: ReadContext): AsyncGenerator<CorpusDocument> {
  const { file, label, checker, options } = context;
  const parquet = await ParquetFile.open(file.path, label);
  try {
    const columns = parquetColumnsToRead(parquet, options);
    for (const group of parquet.rowGroups) {
      const rows = await parquet.readRows(group, columns);
      for (const [index, values] of rows.entries()) {
        const row = group.rowStart + index;
        const checked = checker.checkRecord(values);
        if ("problem" in checked) {
          context.rejectRecord(checked.problem, withField({ file: label, row }, checked.problem));
          continue;
        }
        const bytes = Buffer.byteLength(checked.record.text);
        if (bytes > context.maxDocumentBytes) {
          context.rejectRecord(tooLargeProblem(bytes, context.maxDocumentBytes), { file: label, row, field: options.textField });
          continue;
        }
        yield {
          id: checked.record.id ?? `${file.name}#${row}`,
          text: checked.record.text,
          source: { file: file.path, locator: { kind: "row", row } },
        };
      }
      options.onBytesRead?.(file, group.byteEnd);
    }
    options.onBytesRead?.(file, file.size);
  } finally {
    await parquet.close();
  }
}

/**
 * The text column (which must exist) and the id column when the file has one.
 *
 * @throws InputError naming the file and field when the text column is missing
 */
export function parquetColumnsToRead(parquet: ParquetFile, fields: { textField: string; idField?: string }): string[] {
  const available = parquet.columnNames;
  if (!available.includes(fields.textField)) {
    throw new InputError(
      { file: parquet.label, field: fields.textField },
      `no such column; expected a string column (columns: ${available.join(", ")})`,
    );
  }
  const hasId = fields.idField !== undefined && fields.idField !== fields.textField && available.includes(fields.idField);
  return hasId ? [fields.textField, fields.idField as string] : [fields.textField];
}

async function* readTextFileDocument(context: ReadContext): AsyncGenerator<CorpusDocument> {
  const { file, label, options } = context;
  if (file.size > context.maxDocumentBytes) {
    options.onBytesRead?.(file, file.size);
    context.rejectRecord(tooLargeProblem(file.size, context.maxDocumentBytes), { file: label });
    return;
  }
  const result = await readTextDocument(file.path, label);
  options.onBytesRead?.(file, file.size);
  if ("problem" in result) {
    context.rejectRecord(result.problem, { file: label });
    return;
  }
  yield { id: textDocumentId(file.name), text: result.text, source: { file: file.path, locator: { kind: "file" } } };
}

function withField(location: InputLocation, problem: RecordProblem): InputLocation {
  return problem.field === undefined ? location : { ...location, field: problem.field };
}
