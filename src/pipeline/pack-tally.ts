import { z } from "zod";
import type { SamplesIndex } from "./output/sample-outputs.js";
import { emptyCounts, type PackCounts } from "./pack/pack-topic.js";

/** Where each retrieved document of a topic went, plus those left out by `maxDocUses`. */
export type DocumentFates = PackCounts & { reuseCap: number };

const count = z.number().int().nonnegative();

/**
 * What packing did with one topic. A sharded pack stage writes these (samples/shard-tallies.jsonl)
 * so a merge can recount the whole run exactly, e.g. when a topic's hits equal those of an
 * earlier topic on another shard and the whole run would have skipped it.
 */
export const topicTallySchema = z.strictObject({
  topicId: z.string(),
  /** Skipped: an earlier topic had the same hits. */
  sameHits: z.boolean(),
  relaxed: z.boolean(),
  samples: count,
  skippedCharacters: count,
  documents: z.strictObject({
    used: count,
    duplicate: count,
    nearDuplicate: count,
    empty: count,
    tooLong: count,
    overflow: count,
    shortTail: count,
    reuseCap: count,
  }),
});
export type TopicTally = z.infer<typeof topicTallySchema>;

/** The tally of a topic before packing (or of one skipped for its hits). */
export function emptyTopicTally(topicId: string): TopicTally {
  return { topicId, sameHits: false, relaxed: false, samples: 0, skippedCharacters: 0, documents: { ...emptyCounts(), reuseCap: 0 } };
}

/** The pack stage's running totals over topics. */
export interface PackTally {
  documents: DocumentFates;
  topics: number;
  topicsWithSamples: number;
  topicsWithSameHits: number;
  topicsRelaxed: number;
  skippedCharacters: number;
}

export function emptyPackTally(): PackTally {
  return { documents: { ...emptyCounts(), reuseCap: 0 }, topics: 0, topicsWithSamples: 0, topicsWithSameHits: 0, topicsRelaxed: 0, skippedCharacters: 0 };
}

/** Adds one topic to the totals. */
export function addTopicTally(tally: PackTally, topic: TopicTally): void {
  tally.topics++;
  if (topic.sameHits) {
    tally.topicsWithSameHits++;
    return;
  }
  if (topic.relaxed) tally.topicsRelaxed++;
  if (topic.samples > 0) tally.topicsWithSamples++;
  tally.skippedCharacters += topic.skippedCharacters;
  for (const fate of Object.keys(tally.documents) as Array<keyof DocumentFates>) tally.documents[fate] += topic.documents[fate];
}

/** The pack stage's manifest counts (their order is part of the manifest's bytes). */
export function packStageCounts(index: SamplesIndex, tally: PackTally): Record<string, number> {
  const documentCounts = Object.fromEntries(Object.entries(tally.documents).map(([fate, count]) => [`documents.${fate}`, count]));
  return {
    samples: index.samples,
    shortSamples: index.shortSamples,
    tokens: index.tokens,
    topics: tally.topics,
    topicsWithSamples: tally.topicsWithSamples,
    topicsWithoutSamples: tally.topics - tally.topicsWithSamples,
    topicsWithSameHits: tally.topicsWithSameHits,
    topicsRelaxed: tally.topicsRelaxed,
    skippedCharacters: tally.skippedCharacters,
    ...documentCounts,
  };
}
