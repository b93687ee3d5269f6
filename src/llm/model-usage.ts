import type { ReplicaUsage } from "./replica-pool.js";

/** What one model cost a run. */
export interface ModelUsage {
  /** Calls answered by the model (not from the cache). */
  calls: number;
  /** Calls answered from the response cache (free). */
  cacheHits: number;
  /** HTTP requests or local generations started, including failed ones. */
  requests: number;
  /** Requests repeated after a transient failure. */
  retries: number;
  /** Calls given up after their retries. */
  failures: number;
  promptTokens: number;
  completionTokens: number;
  /** Seconds spent in requests, summed over concurrent requests. */
  requestSeconds: number;
  /** promptTokens and completionTokens priced by the model's `price`, when configured. */
  cost?: number;
  /** Each replica's share, in configured order, when baseURL lists several. */
  replicas?: ReplicaUsage[];
}

export function emptyUsage(): ModelUsage {
  return { calls: 0, cacheHits: 0, requests: 0, retries: 0, failures: 0, promptTokens: 0, completionTokens: 0, requestSeconds: 0 };
}

/**
 * Usage as flat manifest counts: `llm.<model>.<field>`, and `llm.<model>.replica<n>.<field>`
 * for the n-th replica (from 1) of a replicated model (the manifest's counts are numbers by
 * name, so the schema stays as it is).
 */
export function usageCounts(usage: Record<string, ModelUsage>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [model, entry] of Object.entries(usage)) {
    addNumbers(counts, `llm.${model}`, entry);
    for (const [index, replica] of (entry.replicas ?? []).entries()) addNumbers(counts, `llm.${model}.replica${index + 1}`, replica);
  }
  return counts;
}

/** Where each replica of a replicated model is, as stage facts: `llm.<model>.replica<n>` = address. */
export function replicaFacts(usage: Record<string, ModelUsage>): Record<string, string> {
  const facts: Record<string, string> = {};
  for (const [model, entry] of Object.entries(usage)) {
    for (const [index, replica] of (entry.replicas ?? []).entries()) facts[`llm.${model}.replica${index + 1}`] = replica.address;
  }
  return facts;
}

function addNumbers(counts: Record<string, number>, prefix: string, entry: object): void {
  for (const [field, value] of Object.entries(entry)) {
    if (typeof value !== "number") continue;
    counts[`${prefix}.${field}`] = field === "requestSeconds" || field === "cost" ? Math.round(value * 1000) / 1000 : value;
  }
}
