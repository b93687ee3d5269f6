// List markers models put before titles: "1.", "2)", "-", "*", "•".
const LIST_MARKER = /^\s*(?:\d{1,3}[.)]\s+|[-*•]\s+)/;
// Quotes, emphasis and trailing punctuation around a title.
const WRAPPING = /^["'`*_“”‘’]+|["'`*_“”‘’]+$/g;

/**
 * A topic title as it is stored and searched: Unicode-normalised (NFKC), list markers, quotes
 * and emphasis stripped, whitespace collapsed, no trailing period or colon. Case is kept.
 */
export function normalizeTopicText(text: string): string {
  let normalized = text.normalize("NFKC").replace(LIST_MARKER, "").replace(/\s+/g, " ").trim();
  // Quotes and punctuation nest ('**"Title".**'), so peel until nothing changes.
  for (let previous = ""; previous !== normalized; ) {
    previous = normalized;
    normalized = normalized.replace(WRAPPING, "").replace(/[.:;,]+$/, "").trim();
  }
  return normalized;
}

/**
 * What makes two titles the same topic: case, punctuation and "&"/"and" ignored
 * ("Sourdough Bread-Making" and "sourdough bread making." are one topic).
 */
export function topicKey(text: string): string {
  return normalizeTopicText(text)
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}
