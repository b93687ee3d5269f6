import { formatLocation, type InputLocation } from "../core/errors.js";
import type { Subject } from "../core/records.js";
import type { ProblemList } from "./problem-list.js";

/** A subject read from a file, with the row it came from, for messages about duplicates. */
export interface LocatedSubject {
  subject: Subject;
  location: InputLocation;
  /** The column the id came from ("code", or "label" when the id is a slug of it). */
  idField: string;
}

/**
 * Reports every subject whose id or label an earlier subject already has. Ids must be unique
 * because topics and samples point at subjects by id; labels must be, because the subject tree
 * and the topic prompts tell subjects apart by their label paths.
 */
export function reportDuplicateSubjects(subjects: readonly LocatedSubject[], problems: ProblemList): void {
  const firstById = new Map<string, InputLocation>();
  const firstByLabel = new Map<string, InputLocation>();
  for (const { subject, location, idField } of subjects) {
    // A repeated row repeats both; one problem per row is enough, and the label says more.
    const earlierLabel = firstByLabel.get(subject.label);
    const earlierId = firstById.get(subject.id);
    if (earlierLabel !== undefined) {
      problems.add({ ...location, field: "label" }, `duplicate label "${subject.label}" (also at ${where(earlierLabel)})`);
    } else if (earlierId !== undefined) {
      problems.add({ ...location, field: idField }, `duplicate id "${subject.id}" (also at ${where(earlierId)})`);
    }
    if (earlierLabel === undefined) firstByLabel.set(subject.label, location);
    if (earlierId === undefined) firstById.set(subject.id, location);
  }
}

function where(location: InputLocation): string {
  return formatLocation({ ...location, field: undefined });
}
