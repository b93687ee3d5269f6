/**
 * One error base class with typed subclasses. Every error litelong raises on purpose is a
 * LitelongError; the CLI prints its message (never a stack) and exits with its exit code.
 */
export class LitelongError extends Error {
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: number = 1;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Configuration or command-line problems; carries every problem found, not just the first. */
export class ConfigError extends LitelongError {
  override readonly exitCode = 2;

  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0]! : `invalid configuration:\n  - ${problems.join("\n  - ")}`);
  }
}

/** Where in an input file a problem sits. */
export interface InputLocation {
  file: string;
  /** 1-based line number (JSONL, CSV) when the input is line oriented. */
  line?: number;
  /** 0-based row number (parquet) when the input is row oriented. */
  row?: number;
  /** The field (column, key) that was wrong. */
  field?: string;
}

/** Bad input data: names the file, line or row, field and what was expected. */
export class InputError extends LitelongError {
  constructor(
    readonly location: InputLocation,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${formatLocation(location)}: ${problem}`, options);
  }
}

/** A run directory that is missing a stage's output or is inconsistent. */
export class RunDirectoryError extends LitelongError {}

/** An output that was re-read and found wrong (verify). */
export class VerificationError extends LitelongError {}

/** "file:line field 'text'" for messages. */
export function formatLocation(location: InputLocation): string {
  let text = location.file;
  if (location.line !== undefined) text += `:${location.line}`;
  if (location.row !== undefined) text += ` row ${location.row}`;
  if (location.field !== undefined) text += ` field '${location.field}'`;
  return text;
}
