import type { Subject } from "../core/records.js";
import { joinLabelPath } from "./label-path.js";

/** What a taxonomy source knows about one subject; the rest is derived from the path. */
export interface SubjectFields {
  id: string;
  code?: string | undefined;
  /** Normalised label path, at least one part, none empty. */
  path: string[];
  notes?: string | undefined;
  avoid?: string[] | undefined;
  topicsWanted?: number | undefined;
}

/**
 * A Subject record with its keys in the order records.ts declares them and absent optional
 * fields left out, so subjects.jsonl is byte-identical whichever source produced it.
 */
export function makeSubject(fields: SubjectFields): Subject {
  return {
    id: fields.id,
    ...(fields.code !== undefined && { code: fields.code }),
    section: fields.path[0]!,
    path: fields.path,
    label: joinLabelPath(fields.path),
    ...(fields.notes !== undefined && { notes: fields.notes }),
    ...(fields.avoid !== undefined && { avoid: fields.avoid }),
    ...(fields.topicsWanted !== undefined && { topicsWanted: fields.topicsWanted }),
  };
}
