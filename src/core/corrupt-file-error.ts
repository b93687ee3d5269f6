import { LitelongError } from "./errors.js";

/** A file whose footer or checksum no longer matches its contents (truncated, corrupt, or not ours). */
export class CorruptFileError extends LitelongError {}
