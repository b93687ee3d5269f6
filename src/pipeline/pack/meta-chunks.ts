/** Sentence ends: terminal punctuation, optional closing quotes or brackets, then whitespace. */
const SENTENCE_END = /[.!?。！？][)"'\]\u201d\u2019]*\s+/gu;

/**
 * Splits a document's text into meta-chunks of at most `targetCharacters` each (NExtLong's
 * unit): whole lines are grouped greedily; a line longer than the target is cut at sentence
 * ends, and a sentence longer than the target at its last space before the target (or, with no
 * space, at the target itself). The chunks concatenate back to `text` exactly, so each one is a
 * verbatim stretch of its document. Whitespace-only pieces join the chunk before them. `text`
 * should start with a non-space (documents are trimmed), or its first chunk may be blank.
 */
export function splitIntoMetaChunks(text: string, targetCharacters: number): string[] {
  if (!Number.isInteger(targetCharacters) || targetCharacters < 1) throw new RangeError(`chunk size must be a positive integer, got ${targetCharacters}`);
  const chunks: string[] = [];
  let current = "";
  for (const piece of pieces(text, targetCharacters)) {
    if (current.length > 0 && current.length + piece.length > targetCharacters && piece.trim().length > 0) {
      chunks.push(current);
      current = "";
    }
    current += piece;
  }
  if (current.length > 0) {
    if (current.trim().length === 0 && chunks.length > 0) chunks[chunks.length - 1] += current;
    else chunks.push(current);
  }
  return chunks;
}

/** Lines (with their newline), each cut further when longer than the target. */
function* pieces(text: string, target: number): Generator<string> {
  for (const line of text.split(/(?<=\n)/)) {
    if (line.length <= target) yield line;
    else for (const sentence of splitAfter(line, SENTENCE_END)) yield* hardCuts(sentence, target);
  }
}

/** `text` cut right after every match of `pattern` (which must be global). */
function splitAfter(text: string, pattern: RegExp): string[] {
  const parts: string[] = [];
  let start = 0;
  for (const match of text.matchAll(pattern)) {
    const end = match.index + match[0].length;
    if (end < text.length) {
      parts.push(text.slice(start, end));
      start = end;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** A piece longer than the target, cut after its last whitespace that keeps each part within it. */
function* hardCuts(piece: string, target: number): Generator<string> {
  let rest = piece;
  while (rest.length > target) {
    const space = rest.slice(0, target).search(/\s\S*$/);
    let cut = space >= 0 ? space + 1 : target;
    // Never between the halves of an astral character (a one-character target keeps the pair whole).
    if ((rest.charCodeAt(cut) & 0xfc00) === 0xdc00) cut += cut > 1 ? -1 : 1;
    yield rest.slice(0, cut);
    rest = rest.slice(cut);
  }
  if (rest.length > 0) yield rest;
}
