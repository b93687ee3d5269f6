import type { Critique } from "../../core/records.js";
import type { RetentionStrategy } from "./debate-options.js";

/** A proposed topic with everything said about it. */
export interface Candidate {
  proposer: string;
  /** 1-based position in its proposer's list. */
  position: number;
  text: string;
  explanation: string;
  critiques: Critique[];
  /** The judge's reason, when the judge removed it. */
  judgeRemoval?: string;
}

export interface RetentionDecision {
  kept: boolean;
  reasons: string[];
}

const acceptsOf = (candidate: Candidate) => candidate.critiques.filter((critique) => critique.action === "accept").length;

/**
 * Which candidates a strategy keeps (the paper's ablations), in candidate order:
 * - filter-reject: all but the judge's removals;
 * - keep-accept: those accepted by a majority of their critics;
 * - keep-fixed-k: the k with most critic acceptances (ties: earlier proposal first);
 * - single: all.
 */
export function applyRetention(strategy: RetentionStrategy, candidates: readonly Candidate[], k: number): RetentionDecision[] {
  switch (strategy) {
    case "filter-reject":
      return candidates.map((candidate) => (candidate.judgeRemoval === undefined ? { kept: true, reasons: [] } : { kept: false, reasons: [`judge: ${candidate.judgeRemoval}`] }));
    case "keep-accept":
      return candidates.map((candidate) => {
        const accepts = acceptsOf(candidate);
        if (accepts * 2 > candidate.critiques.length) return { kept: true, reasons: [] };
        const rejections = candidate.critiques.filter((critique) => critique.action === "reject").map((critique) => `${critique.critic}: ${critique.reason}`);
        return { kept: false, reasons: rejections.length > 0 ? rejections : ["not accepted by a majority of its critics"] };
      });
    case "keep-fixed-k": {
      const ranked = candidates.map((candidate, index) => ({ index, accepts: acceptsOf(candidate) })).sort((a, b) => b.accepts - a.accepts || a.index - b.index);
      const keep = new Set(ranked.slice(0, k).map((entry) => entry.index));
      return candidates.map((candidate, index) =>
        keep.has(index) ? { kept: true, reasons: [] } : { kept: false, reasons: [`not among the ${k} most accepted (${acceptsOf(candidate)} of ${candidate.critiques.length} critics accepted)`] },
      );
    }
    case "single":
      return candidates.map(() => ({ kept: true, reasons: [] }));
  }
}
