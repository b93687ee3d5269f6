import type { StageSummary, DropReason } from "./run-report.js";

/**
 * What the counts that record a loss mean. Keys not listed here but following the naming
 * convention (see DROP_KEY) are still reported, with an empty meaning, so a new stage's drop
 * reasons appear without touching the report.
 */
const MEANINGS: Record<string, string> = {
  duplicateIds: "corpus records whose id repeats an earlier record's; the later record is not indexed",
  "skipped.malformed-json": "corpus lines that are not valid JSON",
  "skipped.missing-text": "corpus records without the text field",
  "skipped.non-string-text": "corpus records whose text field is not a string",
  "skipped.invalid-utf8": "corpus records that are not valid UTF-8",
  "skipped.empty-text": "corpus records with empty or whitespace-only text",
  "skipped.not-an-object": "corpus lines that are JSON but not an object",
  "skipped.bad-id": "corpus records whose id field is unusable",
  duplicateHeadingQueries: "headings whose query equals an earlier heading's; one topic is kept",
  failedSubjects: "subjects whose debate got no usable LLM reply; a rerun retries them",
  damagedCacheLines: "lines of the LLM response cache that could not be read",
  topicsWithoutHits: "topics no document matched (with --match all, every term must match)",
  topicsWithSameHits: "topics whose hits equal an earlier topic's; packed once",
  topicsWithoutSamples: "topics whose documents did not fill one sample",
  skippedCharacters: "characters dropped at sample starts where no exact token cut existed",
  "documents.duplicate": "retrieved documents whose trimmed text equals an earlier one of the topic",
  "documents.empty": "retrieved documents with nothing left after trimming",
  "documents.nearDuplicate": "retrieved documents nearly identical (word 5-gram Jaccard) to an earlier one of the topic",
  "documents.tooLong": "retrieved documents longer than a sample, skipped (--long-documents skip)",
  "documents.reuseCap": "retrieved documents already used by --max-doc-uses earlier topics",
  "documents.overflow": "retrieved documents not reached: the topic already had its samples",
  "documents.shortTail": "retrieved documents in the final stretch, too short for one more sample",
};

/** Count names that record something dropped, skipped or left out. */
const DROP_KEY = /^(skipped|dropped|removed|rejected|failed)\.|^documents\.(?!used$)|^(duplicateIds|duplicateHeadingQueries|failedSubjects|damagedCacheLines|topicsWithoutHits|topicsWithSameHits|topicsWithoutSamples|skippedCharacters)$/;

/** Every drop or skip count of every stage, in stage order, zeros included (a zero is news too). */
export function dropReasons(stages: readonly StageSummary[]): DropReason[] {
  const reasons: DropReason[] = [];
  for (const stage of stages) {
    for (const [key, count] of Object.entries(stage.counts)) {
      if (DROP_KEY.test(key)) reasons.push({ stage: stage.name, key, count, meaning: MEANINGS[key] ?? "" });
    }
  }
  return reasons;
}
