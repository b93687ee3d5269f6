import { open, type FileHandle } from "node:fs/promises";
import { parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer, type FileMetaData } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { InputError } from "./errors.js";

/** The rows of one row group: `rowStart` inclusive, `rowEnd` exclusive, 0-based across the file. */
export interface ParquetRowGroupRange {
  rowStart: number;
  rowEnd: number;
  /** File offset just past this row group's column chunks; a progress measure in on-disk bytes. */
  byteEnd: number;
}

/**
 * A local parquet file opened for reading one row range at a time (hyparquet with every codec of
 * hyparquet-compressors). Reads go through one file handle with positioned reads, so memory
 * holds only what the current range needs. Call {@link ParquetFile.close} when done.
 */
export class ParquetFile {
  private constructor(
    private readonly handle: FileHandle,
    private readonly buffer: AsyncBuffer,
    /** The name errors use for this file. */
    readonly label: string,
    readonly metadata: FileMetaData,
  ) {}

  /**
   * Opens `path` and reads its footer.
   *
   * @param label - how errors name the file (defaults to `path`)
   * @throws InputError naming the file when it cannot be read or is not parquet
   */
  static async open(path: string, label: string = path): Promise<ParquetFile> {
    const handle = await open(path, "r").catch((error: unknown) => {
      throw new InputError({ file: label }, `cannot open: ${messageOf(error)}`, { cause: error });
    });
    try {
      const { size } = await handle.stat();
      const buffer = fileHandleBuffer(handle, size, label);
      const metadata = await parquetMetadataAsync(buffer).catch((error: unknown) => {
        throw new InputError({ file: label }, `not a parquet file (${messageOf(error)})`, { cause: error });
      });
      return new ParquetFile(handle, buffer, label, metadata);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Names of the top-level columns, in schema order. */
  get columnNames(): string[] {
    return parquetSchema(this.metadata).children.map((child) => child.element.name);
  }

  /** Number of rows in the file. */
  get rowCount(): number {
    return Number(this.metadata.num_rows);
  }

  /** The row groups in file order, as row ranges. */
  get rowGroups(): ParquetRowGroupRange[] {
    const ranges: ParquetRowGroupRange[] = [];
    let rowStart = 0;
    for (const group of this.metadata.row_groups) {
      const rowEnd = rowStart + Number(group.num_rows);
      ranges.push({ rowStart, rowEnd, byteEnd: rowGroupByteEnd(group.columns) });
      rowStart = rowEnd;
    }
    return ranges;
  }

  /**
   * Reads rows `rowStart` (inclusive) to `rowEnd` (exclusive) of the given top-level columns as
   * objects keyed by column name. Byte arrays are decoded as UTF-8 strings, INT64 as bigint.
   *
   * @throws InputError naming the file when the data is corrupt
   */
  async readRows(range: { rowStart: number; rowEnd: number }, columns: string[]): Promise<Record<string, unknown>[]> {
    try {
      return await parquetReadObjects({
        file: this.buffer,
        metadata: this.metadata,
        columns,
        rowStart: range.rowStart,
        rowEnd: range.rowEnd,
        compressors,
      });
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError({ file: this.label }, `corrupt parquet data (${messageOf(error)})`, { cause: error });
    }
  }

  /** Closes the file handle; the object is unusable afterwards. */
  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** An AsyncBuffer over an open handle: hyparquet asks for byte ranges, we read exactly those. */
function fileHandleBuffer(handle: FileHandle, size: number, label: string): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end: number = size): Promise<ArrayBuffer> {
      const bytes = new Uint8Array(Math.max(0, end - start));
      let filled = 0;
      while (filled < bytes.length) {
        const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, start + filled);
        if (bytesRead === 0) throw new InputError({ file: label }, `file ended at byte ${start + filled}; was it truncated?`);
        filled += bytesRead;
      }
      return bytes.buffer;
    },
  };
}

function rowGroupByteEnd(columns: FileMetaData["row_groups"][number]["columns"]): number {
  let end = 0;
  for (const column of columns) {
    const meta = column.meta_data;
    if (meta === undefined) continue;
    // Some writers put 0 for "no dictionary page"; the chunk starts at the lower real offset.
    const dictionary = meta.dictionary_page_offset;
    const useDictionary = dictionary !== undefined && dictionary > 0n && dictionary < meta.data_page_offset;
    const start = Number(useDictionary ? dictionary : meta.data_page_offset);
    end = Math.max(end, start + Number(meta.total_compressed_size));
  }
  return end;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
