import { ConfigError } from "../core/errors.js";
import type { Subject } from "../core/records.js";
import { LABEL_SEPARATOR, normalizeLabelPart } from "./label-path.js";

/**
 * Selects subjects by glob patterns.
 *
 * Each pattern is matched, case-insensitively and against the whole string, with the label path
 * ("Computers / Programming / Python"), the code ("COM051360") and the id ("COM059000.1"); a
 * subject is selected when any pattern matches any of them. Only `*` (any run of characters,
 * " / " included) and `?` (one character) are special. Whitespace in a pattern is normalised
 * like labels are, and a "/" gets one space on each side, so "computers/programming*" works.
 *
 * @param patterns - No patterns selects every subject.
 * @param maxSubjects - Keeps the first this many of the selected subjects; a positive integer,
 *   undefined for no cap.
 * @returns The selected subjects in taxonomy order (the order of `subjects`).
 * @throws ConfigError listing every blank pattern and a bad maxSubjects.
 */
export function selectSubjects(subjects: readonly Subject[], patterns: readonly string[], maxSubjects?: number): Subject[] {
  const problems: string[] = [];
  patterns.forEach((pattern, index) => {
    if (pattern.trim() === "") problems.push(`subject pattern ${index + 1} is empty; expected a glob such as "Cooking / *"`);
  });
  if (maxSubjects !== undefined && !(Number.isSafeInteger(maxSubjects) && maxSubjects >= 1)) {
    problems.push(`maxSubjects must be a positive integer, got ${maxSubjects}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const matchers = patterns.map(globToRegExp);
  const selected =
    matchers.length === 0
      ? [...subjects]
      : subjects.filter((subject) => matchers.some((matcher) => matchesSubject(matcher, subject)));
  return maxSubjects === undefined ? selected : selected.slice(0, maxSubjects);
}

function matchesSubject(matcher: RegExp, subject: Subject): boolean {
  return matcher.test(subject.label) || matcher.test(subject.id) || (subject.code !== undefined && matcher.test(subject.code));
}

/**
 * The anchored, case-insensitive regular expression of a glob (see `selectSubjects`).
 * Exported for tests and for callers that report which patterns matched nothing.
 */
export function globToRegExp(pattern: string): RegExp {
  const normalized = pattern.includes("/")
    ? pattern.split("/").map(normalizeLabelPart).join(LABEL_SEPARATOR)
    : normalizeLabelPart(pattern);
  let source = "";
  for (const character of normalized) {
    if (character === "*") source += ".*";
    else if (character === "?") source += ".";
    else source += character.replace(/[.+^${}()|[\]\\*?]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "isu");
}
