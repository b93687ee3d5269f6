/**
 * Document sources: corpus files (JSONL, compressed JSONL, parquet, text directories), the
 * streaming reader used for indexing, and the store that reads texts back through pointers.
 */
export { resolveCorpusFiles, type CorpusFile, type CorpusFormat } from "./corpus-files.js";
export { readCorpus, type BadRecord, type BadRecordReason, type CorpusReadOptions } from "./read-corpus.js";
export { DocumentStore } from "./document-store.js";
