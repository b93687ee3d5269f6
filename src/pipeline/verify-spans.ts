import type { Sample } from "../core/records.js";
import type { Tokenizer } from "../tokenizer/tokenizer.js";

/**
 * What a NExtLong sample's spans must satisfy: one span per stretch, naming the same document
 * and token range; each stretch is the named meta-chunk of its document, re-chunked here from
 * the source text (the first and last may be cut: a suffix and a prefix of it); a negative
 * never comes from the document of the positive before it; a document's positives keep their
 * order. `texts[i]` is the source text of docIds[i].
 */
export function nextLongSpanProblems(sample: Sample, texts: readonly string[], stretches: readonly string[], splitMetaChunks: (text: string) => string[], tokenizer: Tokenizer): string[] {
  const spans = sample.spans!;
  if (spans.length !== sample.docIds.length) return [`${spans.length} spans for ${sample.docIds.length} stretches`];
  const problems: string[] = [];
  const chunksByDocument = new Map<string, string[]>();
  let lastPositive: { docId: string; chunk: number } | undefined;
  spans.forEach((span, i) => {
    const [start, end] = sample.docTokenSpans[i]!;
    if (span.docId !== sample.docIds[i] || span.tokens[0] !== start || span.tokens[1] !== end) problems.push(`span ${i} (${span.docId} [${span.tokens.join(", ")}]) disagrees with docIds/docTokenSpans (${sample.docIds[i]} [${start}, ${end}])`);
    let chunks = chunksByDocument.get(span.docId);
    if (!chunks) chunksByDocument.set(span.docId, (chunks = splitMetaChunks(tokenizer.normalize(texts[i]!).trim())));
    const chunk = chunks[span.chunk]?.trim();
    const stretch = stretches[i]!.trim();
    const first = i === 0;
    const last = i === spans.length - 1;
    const matches = chunk !== undefined && (first && last ? chunk.includes(stretch) : first ? chunk.endsWith(stretch) : last ? chunk.startsWith(stretch) : chunk === stretch);
    if (!matches) problems.push(`span ${i} is not chunk ${span.chunk} of document ${span.docId}`);
    if (span.kind === "negative" && lastPositive?.docId === span.docId) problems.push(`span ${i}: negative from ${span.docId}, the document of the positive before it`);
    if (span.kind === "positive") {
      if (lastPositive?.docId === span.docId && span.chunk !== lastPositive.chunk + 1) problems.push(`span ${i}: chunk ${span.chunk} of ${span.docId} follows its chunk ${lastPositive.chunk}`);
      lastPositive = span;
    }
  });
  return problems;
}
