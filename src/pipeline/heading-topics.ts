import type { Subject, Topic } from "../core/records.js";

// Heading parts that name no subject matter of their own.
const BOILERPLATE_PARTS = new Set(["general", "other", "miscellaneous"]);
// "(incl. A+)", "(see also ...)": editorial notes, not subject words.
const PARENTHETICAL = /\([^)]*\)/g;

/**
 * The retrieval query a heading stands for when no LLM proposes topics: the words below the
 * section ("Computers / Programming Languages / Python" -> "Programming Languages Python"),
 * without boilerplate parts and editorial notes. The section is kept only when nothing else is
 * left, since under "all terms" matching it would demand a word most on-topic pages lack.
 */
export function headingTopicText(subject: Subject): string {
  const clean = (part: string) => part.replace(PARENTHETICAL, " ").replace(/&/g, " ").replace(/\s+/g, " ").trim();
  const parts = subject.path.slice(1).map(clean).filter((part) => part.length > 0 && !BOILERPLATE_PARTS.has(part.toLowerCase()));
  return parts.length > 0 ? parts.join(" ") : clean(subject.section);
}

/** One topic per subject heading; headings that give the same query keep the first. */
export function headingTopics(subjects: readonly Subject[]): { topics: Topic[]; duplicates: number } {
  const seen = new Set<string>();
  const topics: Topic[] = [];
  for (const subject of subjects) {
    const text = headingTopicText(subject);
    const key = text.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    topics.push({
      id: `h-${subject.id}`,
      subjectId: subject.id,
      text,
      explanation: `The heading "${subject.label}".`,
      proposedBy: "headings",
      critiques: [],
      verdict: "kept",
      reasons: [],
    });
  }
  return { topics, duplicates: subjects.length - topics.length };
}
