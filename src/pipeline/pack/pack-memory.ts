import { ConfigError } from "../../core/errors.js";

// Measured resident sizes (llama3 preset, Node 20), with margin: the process with its own
// tokenizer loaded, the index opened empty and the garbage V8 lets build up between collections
// (demo run, 128K samples, no workers: 345 MiB peak with 42 MiB of topics and 18 MiB of caches),
// and each tokenizer worker thread.
const MAIN_BYTES = 290 * 2 ** 20;
const TOKENIZER_WORKER_BYTES = 140 * 2 ** 20;
/**
 * A topic being prepared or packed holds its documents' texts (UTF-16) and token ids, and the
 * samples being assembled: about this many bytes per token of the topic's token budget.
 */
const BYTES_PER_TOPIC_TOKEN = 16;
/** A cached token id is a Uint32. */
const BYTES_PER_CACHED_TOKEN = 4;
/** A cached MinHash signature (64 Uint32s) with its id and map entry. */
const BYTES_PER_SIGNATURE = 400;
/** Share of what is left for caches that goes to token ids (the rest to signatures). */
const TOKEN_CACHE_SHARE = 0.8;

export interface PackMemoryInputs {
  /** The run's memory budget in bytes. */
  memoryBytes: number;
  /** Tokenizer worker threads asked for (0: tokenize on the main thread). */
  workers: number;
  /** Tokens per sample. */
  length: number;
  samplesPerTopic: number;
  /** Topics in memory at once (prepared ahead plus the one being packed). */
  topicsInFlight: number;
  /** Bytes of the index the stage opens (held in memory to find documents and re-query). */
  indexBytes: number;
}

export interface PackMemoryPlan {
  /** Tokenizer workers that fit (at most the ones asked for); outputs do not depend on it. */
  workers: number;
  /** Token ids the cross-topic token cache may hold. */
  cachedTokens: number;
  /** MinHash signatures the near-duplicate cache may hold. */
  cachedSignatures: number;
}

/**
 * Splits the pack stage's memory budget: the fixed cost of the process and the opened index,
 * the topics in flight (their size follows the sample length), then as many tokenizer workers as
 * fit, and what is left for the caches (which only save work: outputs never depend on them).
 * Throws ConfigError when even one topic at a time on the main thread does not fit.
 */
export function planPackMemory(inputs: PackMemoryInputs): PackMemoryPlan {
  const topicBytes = Math.ceil(inputs.samplesPerTopic * inputs.length * 1.05) * BYTES_PER_TOPIC_TOKEN;
  const required = MAIN_BYTES + inputs.indexBytes + inputs.topicsInFlight * topicBytes;
  if (required > inputs.memoryBytes) {
    throw new ConfigError([
      `memory: ${mebibytes(inputs.memoryBytes)} is too small to pack ${inputs.samplesPerTopic} samples of ${inputs.length} tokens per topic: ` +
        `that needs at least ${mebibytes(required)} (${mebibytes(MAIN_BYTES)} for the process and tokenizer, ${mebibytes(inputs.indexBytes)} for the index, ` +
        `${mebibytes(inputs.topicsInFlight * topicBytes)} for ${inputs.topicsInFlight} topics in flight); raise --memory or lower --length or --samples-per-topic`,
    ]);
  }
  const workers = Math.max(0, Math.min(inputs.workers, Math.floor((inputs.memoryBytes - required) / TOKENIZER_WORKER_BYTES)));
  const left = inputs.memoryBytes - required - workers * TOKENIZER_WORKER_BYTES;
  return {
    workers,
    cachedTokens: Math.floor((left * TOKEN_CACHE_SHARE) / BYTES_PER_CACHED_TOKEN),
    cachedSignatures: Math.floor((left * (1 - TOKEN_CACHE_SHARE)) / BYTES_PER_SIGNATURE),
  };
}

const mebibytes = (bytes: number) => `${Math.ceil(bytes / 2 ** 20)}M`;
