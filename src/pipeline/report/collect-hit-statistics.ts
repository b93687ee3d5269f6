import { readJsonLines } from "../../core/jsonl-file.js";
import { hitsSchema } from "../../core/record-schemas.js";
import { hashValue } from "../../core/stable-json.js";
import { DistinctCounter, DEFAULT_TRACKED_IDS } from "./distinct-counter.js";
import { FixedWidthHistogram } from "./histogram.js";
import type { Histogram } from "./run-report.js";

/** Bins of the retrieval score histogram. */
export const SCORE_BINS = 40;

export interface HitStatistics {
  /** Hits per topic id, for every topic in the hits file. */
  hitsPerTopic: Map<string, number>;
  /** Topic id -> the earlier topic with exactly the same hit list (the pack stage packs it once). */
  sameHitsAs: Map<string, string>;
  totalHits: number;
  scores: Histogram;
  scoreMinimum: number | undefined;
  scoreMaximum: number | undefined;
  scoreMean: number | undefined;
  /** Documents by how many topics retrieved them. */
  retrievedByTopics: DistinctCounter;
}

/**
 * Reads hits/hits.jsonl twice, streaming: the first pass counts and finds the score range,
 * the second bins the scores, so memory does not grow with the number of hits.
 */
export async function collectHitStatistics(hitsPath: string, trackedIds = DEFAULT_TRACKED_IDS): Promise<HitStatistics> {
  const hitsPerTopic = new Map<string, number>();
  const sameHitsAs = new Map<string, string>();
  const firstTopicWithHits = new Map<string, string>();
  const retrievedByTopics = new DistinctCounter(trackedIds);
  let totalHits = 0;
  let minimum = Infinity;
  let maximum = -Infinity;
  let sum = 0;
  for await (const hits of readJsonLines(hitsPath, hitsSchema)) {
    hitsPerTopic.set(hits.topicId, hits.docIds.length);
    totalHits += hits.docIds.length;
    for (const id of hits.docIds) retrievedByTopics.add(id);
    for (const score of hits.scores) {
      minimum = Math.min(minimum, score);
      maximum = Math.max(maximum, score);
      sum += score;
    }
    if (hits.docIds.length === 0) continue;
    // The same key the pack stage uses to pack identical hit lists once.
    const key = hashValue(hits.docIds);
    const earlier = firstTopicWithHits.get(key);
    if (earlier === undefined) firstTopicWithHits.set(key, hits.topicId);
    else sameHitsAs.set(hits.topicId, earlier);
  }
  if (totalHits === 0) {
    return { hitsPerTopic, sameHitsAs, totalHits, scores: { labels: [], counts: [] }, scoreMinimum: undefined, scoreMaximum: undefined, scoreMean: undefined, retrievedByTopics };
  }
  const histogram = new FixedWidthHistogram(minimum, maximum, SCORE_BINS);
  for await (const hits of readJsonLines(hitsPath, hitsSchema)) for (const score of hits.scores) histogram.add(score);
  return { hitsPerTopic, sameHitsAs, totalHits, scores: histogram.histogram(), scoreMinimum: minimum, scoreMaximum: maximum, scoreMean: sum / totalHits, retrievedByTopics };
}
