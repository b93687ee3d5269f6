/**
 * Prose paragraphs out of documentation formats (reStructuredText, HTML, fortune files): the real text the benchmark corpus is built from. Code, tables, headings and markup
 * are dropped because a search benchmark should index what a reader would call text.
 */

/** Source formats the benchmark corpus reads. */
export type TextFormat = "rst" | "html" | "fortune";

/** Shortest paragraph kept, in characters: shorter blocks are headings, labels or list stubs. */
const MIN_PARAGRAPH_CHARACTERS = 60;
/** Share of letters and spaces below which a block is code, a table or a listing, not prose. */
const MIN_PROSE_SHARE = 0.85;

export function paragraphsOf(text: string, format: TextFormat): string[] {
  const blocks = format === "rst" ? rstBlocks(text) : format === "html" ? htmlBlocks(text) : fortuneBlocks(text);
  return blocks.map(collapseSpace).filter(isProse);
}

function collapseSpace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function isProse(paragraph: string): boolean {
  if (paragraph.length < MIN_PARAGRAPH_CHARACTERS) return false;
  const prose = paragraph.match(/[\p{L} ,.;:'()-]/gu)?.length ?? 0;
  return prose / paragraph.length >= MIN_PROSE_SHARE;
}

function blankLineBlocks(text: string): string[] {
  return text.split(/\n[ \t]*\n/);
}

/** Unindented rst paragraphs; directives, literal blocks and section underlines are skipped. */
function rstBlocks(text: string): string[] {
  const paragraphs: string[] = [];
  for (const block of blankLineBlocks(text)) {
    const lines = block.split("\n").filter((line) => line.trim() !== "" && !/^([=\-~^*#"'`+.])\1{2,}\s*$/.test(line));
    const first = lines[0];
    if (first === undefined || /^\s/.test(first) || first.startsWith("..")) continue;
    paragraphs.push(stripRstMarkup(lines.join(" ")));
  }
  return paragraphs;
}

function stripRstMarkup(text: string): string {
  return text
    .replace(/:[\w:-]+:`([^`<]*?)\s*(?:<[^>]*>)?`/g, "$1") // :role:`text <target>` -> text
    .replace(/`([^`<]*?)\s*(?:<[^>]*>)?`_{1,2}/g, "$1") // `link <target>`_ -> link
    .replace(/``([^`]*)``/g, "$1")
    .replace(/\*\*?([^*]+)\*\*?/g, "$1")
    .replace(/::$/, ":");
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", mdash: "-", ndash: "-", hellip: "...", rsquo: "'", lsquo: "'", ldquo: '"', rdquo: '"' };

/**
 * The text of every paragraph element: <p>, or <div class="para"> as DocBook's HTML writes
 * them. Scripts, styles and preformatted blocks never reach it.
 */
function htmlBlocks(html: string): string[] {
  const body = html.replace(/<(script|style|pre)\b[\s\S]*?<\/\1>/gi, " ");
  const paragraphs = body.matchAll(/<p\b[^>]*>([\s\S]*?)<\/p>|<div class="para"[^>]*>([\s\S]*?)<\/div>/gi);
  return [...paragraphs].map((match) => decodeEntities((match[1] ?? match[2]!).replace(/<[^>]+>/g, "")));
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (entity, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X")) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name.toLowerCase()] ?? entity;
  });
}

/** fortune(6) data files: entries separated by lines holding a single "%". */
function fortuneBlocks(text: string): string[] {
  return text.split(/^%$/m);
}

/** Sentences of a paragraph: split after . ! ? when the next word starts like a sentence. */
export function sentencesOf(paragraph: string): string[] {
  return paragraph.split(/(?<=[.!?])\s+(?=["'(]?[A-Z])/);
}
