/** Elements whose content is not prose: dropped with their content. */
const NON_PROSE_ELEMENTS = /<(script|style|noscript|template|svg)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const COMMENTS = /<!--[\s\S]*?-->/g;
/** <!DOCTYPE ...>, <![CDATA[ ... ]]> markers, <?xml ...?>. */
const DECLARATIONS = /<![^>]*>|<\?[^>]*>/g;
/** Tags that separate blocks of text: replaced by a line break so words on either side stay apart. */
const BLOCK_TAGS =
  /<\/?(?:address|article|aside|blockquote|body|br|caption|dd|div|dl|dt|figcaption|figure|footer|form|h[1-6]|head|header|hr|html|li|main|nav|ol|p|pre|section|table|tbody|td|tfoot|th|thead|title|tr|ul)\b[^>]*>/gi;
const OTHER_TAGS = /<\/?[a-zA-Z][^>]*>/g;
const ENTITIES = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos|nbsp));/g;
const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/**
 * Turns an HTML page into its text so that markup (tag and attribute names, scripts, styles)
 * never reaches the index or a sample. Block tags become line breaks, other tags vanish, the
 * common entities (&amp; &lt; &gt; &quot; &apos; &nbsp; and numeric ones) are decoded, runs of
 * spaces collapse and the result is trimmed. A regular-expression pass, not a parser: enough for
 * document collections, not for adversarial markup.
 */
export function htmlToText(html: string): string {
  const withoutMarkup = html
    .replace(/\r\n?/g, "\n")
    .replace(COMMENTS, "")
    .replace(NON_PROSE_ELEMENTS, "")
    .replace(DECLARATIONS, "")
    .replace(BLOCK_TAGS, "\n")
    .replace(OTHER_TAGS, "");
  // Entities are decoded last and in one pass, so "&amp;lt;" yields the text "&lt;", not "<".
  return withoutMarkup
    .replace(ENTITIES, decodeEntity)
    .replace(/[ \t\f\v\u00a0]+/g, " ")
    .replace(/ ?\n ?/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function decodeEntity(entity: string, decimal?: string, hexadecimal?: string, name?: string): string {
  if (name !== undefined) return NAMED_ENTITIES[name] ?? entity;
  const codePoint = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hexadecimal ?? "", 16);
  const valid = codePoint > 0 && codePoint <= 0x10ffff && !(codePoint >= 0xd800 && codePoint <= 0xdfff);
  return valid ? String.fromCodePoint(codePoint) : "\ufffd";
}
