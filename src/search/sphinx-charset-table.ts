/**
 * A Sphinx/Manticore `charset_table` equivalent to our analyzer's character handling: every
 * Basic Multilingual Plane letter or digit is a word character, folded the way the analyzer folds
 * it (compatibility decomposition, combining marks dropped, lower-cased) whenever that folding
 * gives a single letter or digit. Runs of code points are written as ranges to keep it short.
 */
export function sphinxCharsetTable(): string {
  const wordCharacter = /^[\p{L}\p{N}]$/u;
  const mappings: Array<[number, number]> = [];
  for (let code = 0x30; code <= 0xffff; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    const character = String.fromCodePoint(code);
    if (!wordCharacter.test(character)) continue;
    const folded = character.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase();
    if ([...folded].length !== 1 || !wordCharacter.test(folded)) continue;
    mappings.push([code, folded.codePointAt(0)!]);
  }
  const entries: string[] = [];
  for (let first = 0; first < mappings.length; ) {
    const identity = mappings[first]![0] === mappings[first]![1];
    let last = first;
    while (
      last + 1 < mappings.length &&
      mappings[last + 1]![0] === mappings[last]![0] + 1 &&
      mappings[last + 1]![1] === mappings[last]![1] + 1 &&
      (mappings[last + 1]![0] === mappings[last + 1]![1]) === identity
    ) last++;
    entries.push(formatEntry(mappings[first]!, mappings[last]!, identity));
    first = last + 1;
  }
  return entries.join(", ");
}

const hex = (code: number) => `U+${code.toString(16).toUpperCase()}`;

function formatEntry([from, to]: [number, number], [lastFrom, lastTo]: [number, number], identity: boolean): string {
  const source = from === lastFrom ? hex(from) : `${hex(from)}..${hex(lastFrom)}`;
  if (identity) return source;
  return from === lastFrom ? `${source}->${hex(to)}` : `${source}->${hex(to)}..${hex(lastTo)}`;
}
