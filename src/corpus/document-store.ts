import { open } from "node:fs/promises";
import { InputError, type InputLocation } from "../core/errors.js";
import { ParquetFile } from "../core/parquet-file.js";
import type { DocumentLocator, DocumentSource } from "../core/records.js";
import { corpusFormatOf, displayPathOf, type CorpusFormat } from "./corpus-files.js";
import { CorpusRecordChecker, type RecordCheck } from "./corpus-record-checker.js";
import { parquetColumnsToRead } from "./read-corpus.js";
import { readDecompressedChunks } from "./read-decompressed-chunks.js";
import { readTextDocument } from "./read-text-document.js";
import { splitByteLines } from "./split-byte-lines.js";

type LineLocator = Extract<DocumentLocator, { kind: "line" }>;
type RowLocator = Extract<DocumentLocator, { kind: "row" }>;

/** A wanted document: its position in the caller's list and where it lives. */
interface Wanted<Locator extends DocumentLocator> {
  index: number;
  locator: Locator;
}

/** Positioned reads of a plain JSONL file in flight at once. */
const PARALLEL_READS = 32;

/**
 * Reads documents' texts back from their pointers, so the index never stores a copy. Pointers
 * are grouped by file and each file is visited once per call: plain JSONL by positioned reads,
 * .gz / .zst by one streaming pass that stops after the last wanted line, parquet by reading
 * only the row groups that hold wanted rows (text column only), text files whole.
 * Batch many pointers per call: a compressed file costs a pass from its start on every call.
 */
export class DocumentStore {
  private readonly textField: string;
  private readonly checker: CorpusRecordChecker;

  /** @param options.textField - the field the corpus was read with (same as CorpusReadOptions.textField) */
  constructor(options: { textField: string }) {
    this.textField = options.textField;
    this.checker = new CorpusRecordChecker({ textField: options.textField });
  }

  /**
   * The text of each source, in the order given: exactly the text the corpus reader produced.
   *
   * @throws InputError when a file is missing, a pointer does not fit its file, or the record
   *   it points at is no longer valid (the file changed since it was read)
   */
  async readTexts(sources: DocumentSource[]): Promise<string[]> {
    const texts = new Array<string>(sources.length);
    for (const [file, wanted] of groupByFile(sources)) {
      const format = corpusFormatOf(file);
      if (format === undefined) throw new InputError({ file: displayPathOf(file) }, "not a corpus file (unknown extension)");
      const label = displayPathOf(file);
      if (format === "jsonl") await this.readPlainLines(file, label, requireKind(wanted, "line", label, format), texts);
      else if (format === "parquet") await this.readRows(file, label, requireKind(wanted, "row", label, format), texts);
      else if (format === "text") await this.readTextFile(file, label, requireKind(wanted, "file", label, format), texts);
      else await this.readCompressedLines(file, label, format, requireKind(wanted, "line", label, format), texts);
    }
    return texts;
  }

  private async readPlainLines(file: string, label: string, wanted: Wanted<LineLocator>[], texts: string[]): Promise<void> {
    const handle = await open(file, "r").catch((error: unknown) => {
      throw new InputError({ file: label }, `cannot open: ${(error as Error).message}`, { cause: error });
    });
    try {
      const readOne = async ({ index, locator }: Wanted<LineLocator>): Promise<void> => {
        const bytes = Buffer.allocUnsafe(locator.byteLength);
        const { bytesRead } = await handle.read(bytes, 0, locator.byteLength, locator.byteOffset);
        if (bytesRead !== locator.byteLength) {
          throw new InputError({ file: label, line: locator.line }, "the file is shorter than when it was read; was it changed?");
        }
        texts[index] = this.textOf(this.checker.checkJsonLine(bytes), { file: label, line: locator.line });
      };
      // Sorted offsets keep the disk reading forward.
      const sorted = [...wanted].sort((a, b) => a.locator.byteOffset - b.locator.byteOffset);
      for (let start = 0; start < sorted.length; start += PARALLEL_READS) {
        await Promise.all(sorted.slice(start, start + PARALLEL_READS).map(readOne));
      }
    } finally {
      await handle.close();
    }
  }

  private async readCompressedLines(
    file: string,
    label: string,
    format: "jsonl.gz" | "jsonl.zst",
    wanted: Wanted<LineLocator>[],
    texts: string[],
  ): Promise<void> {
    const byLine = new Map<number, Wanted<LineLocator>[]>();
    let lastLine = 0;
    for (const item of wanted) {
      const sameLine = byLine.get(item.locator.line);
      if (sameLine === undefined) byLine.set(item.locator.line, [item]);
      else sameLine.push(item);
      lastLine = Math.max(lastLine, item.locator.line);
    }
    for await (const lines of splitByteLines(readDecompressedChunks(file, format, { label }))) {
      for (const { line, byteOffset, bytes } of lines) {
        const items = byLine.get(line);
        if (items === undefined) continue;
        const location = { file: label, line };
        for (const { index, locator } of items) {
          if (locator.byteOffset !== byteOffset || locator.byteLength !== bytes.length) {
            throw new InputError(location, "the line moved since the file was read; was it changed?");
          }
          texts[index] = this.textOf(this.checker.checkJsonLine(bytes), location);
        }
        byLine.delete(line);
      }
      // Leaving the loop closes the stream: no need to decompress past the last wanted line.
      if (lines.length > 0 && lines[lines.length - 1]!.line >= lastLine) break;
    }
    const missing = [...byLine.keys()].sort((a, b) => a - b)[0];
    if (missing !== undefined) throw new InputError({ file: label, line: missing }, "no such line; was the file changed?");
  }

  private async readRows(file: string, label: string, wanted: Wanted<RowLocator>[], texts: string[]): Promise<void> {
    const parquet = await ParquetFile.open(file, label);
    try {
      const [textColumn] = parquetColumnsToRead(parquet, { textField: this.textField });
      const sorted = [...wanted].sort((a, b) => a.locator.row - b.locator.row);
      let next = 0;
      // Whole column chunks are decoded anyway, so one read per row group that holds wanted rows.
      for (const group of parquet.rowGroups) {
        let end = next;
        while (end < sorted.length && sorted[end]!.locator.row < group.rowEnd) end += 1;
        if (end === next) continue;
        const rowStart = sorted[next]!.locator.row;
        const rows = await parquet.readRows({ rowStart, rowEnd: sorted[end - 1]!.locator.row + 1 }, [textColumn as string]);
        for (const { index, locator } of sorted.slice(next, end)) {
          texts[index] = this.textOf(this.checker.checkRecord(rows[locator.row - rowStart]), { file: label, row: locator.row });
        }
        next = end;
      }
      if (next < sorted.length) {
        throw new InputError({ file: label, row: sorted[next]!.locator.row }, `no such row (the file has ${parquet.rowCount}); was it changed?`);
      }
    } finally {
      await parquet.close();
    }
  }

  private async readTextFile(file: string, label: string, wanted: Wanted<Extract<DocumentLocator, { kind: "file" }>>[], texts: string[]): Promise<void> {
    const result = await readTextDocument(file, label);
    if ("problem" in result) throw new InputError({ file: label }, `${result.problem.problem}; was the file changed?`);
    for (const { index } of wanted) texts[index] = result.text;
  }

  private textOf(checked: RecordCheck, location: InputLocation): string {
    if ("record" in checked) return checked.record.text;
    const { field, problem } = checked.problem;
    throw new InputError(field === undefined ? location : { ...location, field }, `${problem}; was the file changed?`);
  }
}

function groupByFile(sources: DocumentSource[]): Map<string, Wanted<DocumentLocator>[]> {
  const groups = new Map<string, Wanted<DocumentLocator>[]>();
  for (const [index, source] of sources.entries()) {
    let group = groups.get(source.file);
    if (group === undefined) groups.set(source.file, (group = []));
    group.push({ index, locator: source.locator });
  }
  return groups;
}

function requireKind<Kind extends DocumentLocator["kind"]>(
  wanted: Wanted<DocumentLocator>[],
  kind: Kind,
  label: string,
  format: CorpusFormat,
): Wanted<Extract<DocumentLocator, { kind: Kind }>>[] {
  for (const { locator } of wanted) {
    if (locator.kind !== kind) throw new InputError({ file: label }, `a '${locator.kind}' pointer does not fit a ${format} file; expected '${kind}'`);
  }
  return wanted as Wanted<Extract<DocumentLocator, { kind: Kind }>>[];
}
