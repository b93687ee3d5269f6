/** One line of a byte stream, without its "\n" or "\r\n". */
export interface ByteLine {
  /** 1-based line number; blank lines are counted. */
  line: number;
  /** Offset of the line's first byte in the (decompressed) stream. */
  byteOffset: number;
  /** The line's bytes; byteLength of the locator is `bytes.length`. Empty for an oversized line. */
  bytes: Buffer;
  /** Set (to the line's length) instead of `bytes` when the line is longer than the limit. */
  oversizedBytes?: number;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/**
 * Splits a stream of byte chunks into lines at "\n", dropping a trailing "\r" and a UTF-8
 * byte-order mark at the very start (its bytes still count in offsets). A last line without a
 * line break is returned too. Lines come in batches, one per chunk that completed any, so the
 * per-line cost stays a plain loop instead of an await. A line longer than `maxLineBytes` is not
 * held in memory: its bytes are dropped as they stream by and it comes back with
 * `oversizedBytes`, so one huge line cannot take the memory of a whole corpus.
 */
export async function* splitByteLines(chunks: AsyncIterable<Uint8Array>, maxLineBytes = Number.POSITIVE_INFINITY): AsyncGenerator<ByteLine[]> {
  let pending: Buffer[] = [];
  /** Bytes of the current line seen so far (held in `pending` unless the line is oversized). */
  let pendingBytes = 0;
  let lineStart = 0;
  let line = 0;
  const hold = (piece: Buffer) => {
    pendingBytes += piece.length;
    if (pendingBytes > maxLineBytes) pending = [];
    else if (piece.length > 0) pending.push(piece);
  };
  const finishLine = (): ByteLine => {
    line += 1;
    const result = pendingBytes > maxLineBytes
      ? { line, byteOffset: lineStart, bytes: Buffer.alloc(0), oversizedBytes: pendingBytes }
      : makeLine(line, lineStart, pending.length === 1 ? pending[0]! : Buffer.concat(pending));
    lineStart += pendingBytes + 1;
    pending = [];
    pendingBytes = 0;
    return result;
  };
  for await (const input of chunks) {
    const chunk = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    const batch: ByteLine[] = [];
    let start = 0;
    for (let newline = chunk.indexOf(NEWLINE, start); newline !== -1; newline = chunk.indexOf(NEWLINE, start)) {
      hold(chunk.subarray(start, newline));
      batch.push(finishLine());
      start = newline + 1;
    }
    if (start < chunk.length) hold(chunk.subarray(start));
    if (batch.length > 0) yield batch;
  }
  if (pendingBytes > 0) yield [finishLine()];
}

function makeLine(line: number, byteOffset: number, raw: Buffer): ByteLine {
  let bytes = raw;
  let offset = byteOffset;
  if (bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN) bytes = bytes.subarray(0, bytes.length - 1);
  if (byteOffset === 0 && startsWithBom(bytes)) {
    bytes = bytes.subarray(UTF8_BOM.length);
    offset += UTF8_BOM.length;
  }
  return { line, byteOffset: offset, bytes };
}

function startsWithBom(bytes: Buffer): boolean {
  return bytes.length >= 3 && bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2];
}

/** True for lines holding only spaces and tabs: skipped silently, not reported as bad. */
export function isBlankLine(bytes: Uint8Array): boolean {
  for (const byte of bytes) {
    if (byte !== 0x20 && byte !== 0x09 && byte !== CARRIAGE_RETURN) return false;
  }
  return true;
}
