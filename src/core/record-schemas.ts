import { z } from "zod";
import type { Hits, Sample, Subject, Topic } from "./records.js";

/** Schemas for reading stage files back; they mirror records.ts. */
export const subjectSchema: z.ZodType<Subject> = z.object({
  id: z.string(),
  code: z.string().optional(),
  section: z.string(),
  path: z.array(z.string()),
  label: z.string(),
  notes: z.string().optional(),
  avoid: z.array(z.string()).optional(),
  topicsWanted: z.number().int().positive().optional(),
});

export const topicSchema: z.ZodType<Topic> = z.object({
  id: z.string(),
  subjectId: z.string(),
  text: z.string(),
  explanation: z.string(),
  proposedBy: z.string(),
  critiques: z.array(z.object({ critic: z.string(), action: z.enum(["accept", "reject"]), reason: z.string() })),
  verdict: z.enum(["kept", "removed"]),
  reasons: z.array(z.string()),
});

export const hitsSchema: z.ZodType<Hits> = z.object({
  topicId: z.string(),
  match: z.enum(["all", "any"]),
  docIds: z.array(z.string()),
  scores: z.array(z.number()),
});

export const sampleSchema: z.ZodType<Sample> = z.object({
  id: z.string(),
  topicId: z.string(),
  subjectId: z.string(),
  topic: z.string(),
  domain: z.string(),
  docIds: z.array(z.string()),
  docOffsets: z.array(z.number().int().nonnegative()),
  docTokenSpans: z.array(z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()])),
  tokenizer: z.string(),
  tokenCount: z.number().int().positive(),
  short: z.literal(true).optional(),
  spans: z
    .array(
      z.object({
        kind: z.enum(["positive", "negative"]),
        docId: z.string(),
        chunk: z.number().int().nonnegative(),
        tokens: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
      }),
    )
    .optional(),
  text: z.string(),
});
