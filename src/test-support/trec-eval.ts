/** Relevance judgments: query id -> relevant document ids. */
export type Qrels = Map<string, Set<string>>;

/** Parses TREC qrels lines `qid 0 docid relevance`. */
export function parseQrels(text: string): Qrels {
  const qrels: Qrels = new Map();
  for (const line of text.split("\n")) {
    const [qid, , docId, relevance] = line.trim().split(/\s+/);
    if (!qid || !docId || Number(relevance) <= 0) continue;
    if (!qrels.has(qid)) qrels.set(qid, new Set());
    qrels.get(qid)!.add(docId);
  }
  return qrels;
}

/** Parses TREC run lines `qid Q0 docid rank score tag` into ranked lists (by rank). */
export function parseRun(text: string): Map<string, string[]> {
  const ranked = new Map<string, Array<[number, string]>>();
  for (const line of text.split("\n")) {
    const [qid, , docId, rank] = line.trim().split(/\s+/);
    if (!qid || !docId) continue;
    if (!ranked.has(qid)) ranked.set(qid, []);
    ranked.get(qid)!.push([Number(rank), docId]);
  }
  return new Map([...ranked].map(([qid, list]) => [qid, list.sort((a, b) => a[0] - b[0]).map(([, docId]) => docId)]));
}

/**
 * Mean average precision as trec_eval computes `map`: over the queries that have both
 * judgments and a ranking; a relevant document never retrieved adds zero.
 */
export function meanAveragePrecision(run: Map<string, string[]>, qrels: Qrels): { map: number; queries: number } {
  let sum = 0;
  let queries = 0;
  for (const [qid, ranking] of run) {
    const relevant = qrels.get(qid);
    if (!relevant || relevant.size === 0) continue;
    let found = 0;
    let precisionSum = 0;
    ranking.forEach((docId, index) => {
      if (relevant.has(docId)) precisionSum += ++found / (index + 1);
    });
    sum += precisionSum / relevant.size;
    queries++;
  }
  return { map: queries === 0 ? 0 : sum / queries, queries };
}

/** Mean precision at depth `depth` over queries with judgments (trec_eval's P_n: missing ranks count as misses). */
export function meanPrecisionAt(run: Map<string, string[]>, qrels: Qrels, depth: number): number {
  let sum = 0;
  let queries = 0;
  for (const [qid, ranking] of run) {
    const relevant = qrels.get(qid);
    if (!relevant || relevant.size === 0) continue;
    sum += ranking.slice(0, depth).filter((docId) => relevant.has(docId)).length / depth;
    queries++;
  }
  return queries === 0 ? 0 : sum / queries;
}

/** Mean over queries of |top-depth of a ∩ top-depth of b| / depth (queries in both runs). */
export function meanOverlapAt(a: Map<string, string[]>, b: Map<string, string[]>, depth: number): number {
  let sum = 0;
  let queries = 0;
  for (const [qid, ranking] of a) {
    const other = b.get(qid);
    if (!other) continue;
    const top = new Set(other.slice(0, depth));
    sum += ranking.slice(0, depth).filter((docId) => top.has(docId)).length / Math.min(depth, Math.max(1, top.size));
    queries++;
  }
  return queries === 0 ? 0 : sum / queries;
}

/** The CACM topics file (`<DOC><DOCNO> n </DOCNO> text </DOC>`) as `qid<TAB>text` lines. */
export function cacmTopicsToTsv(text: string): string {
  const lines: string[] = [];
  for (const match of text.matchAll(/<DOCNO>\s*(\d+)\s*<\/DOCNO>([\s\S]*?)<\/DOC>/g)) {
    lines.push(`${match[1]}\t${match[2]!.replace(/\s+/g, " ").trim()}`);
  }
  return lines.join("\n") + "\n";
}
