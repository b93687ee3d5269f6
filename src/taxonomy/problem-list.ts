import { formatLocation, InputError, type InputLocation } from "../core/errors.js";

/** How many problems one error message lists; a wrong file can otherwise give thousands. */
const MAX_LISTED_PROBLEMS = 100;

/** One thing wrong with one place of an input file. */
export interface Problem {
  location: InputLocation;
  problem: string;
}

/**
 * Collects every problem of an input file so the user fixes them in one pass, then fails once.
 */
export class ProblemList {
  readonly problems: Problem[] = [];

  constructor(readonly file: string) {}

  add(location: InputLocation, problem: string): void {
    this.problems.push({ location, problem });
  }

  /**
   * Throws one InputError when anything was added. A single problem keeps its own location
   * ("tax.csv:4 field 'label': empty; ..."); several are listed one per line under the file,
   * in file order (problems found in a later pass, such as duplicates, are found out of order).
   */
  throwIfAny(): void {
    const count = this.problems.length;
    if (count === 0) return;
    if (count === 1) {
      const only = this.problems[0]!;
      throw new InputError(only.location, only.problem);
    }
    const listed = [...this.problems]
      .sort(byPosition)
      .slice(0, MAX_LISTED_PROBLEMS)
      .map(({ location, problem }) => `  - ${formatLocation(location)}: ${problem}`);
    if (count > MAX_LISTED_PROBLEMS) listed.push(`  - ... and ${count - MAX_LISTED_PROBLEMS} more`);
    throw new InputError({ file: this.file }, `${count} problems:\n${listed.join("\n")}`);
  }
}

/** File-wide problems first, then by line or row; the sort is stable, so ties keep their order. */
function byPosition(left: Problem, right: Problem): number {
  return position(left.location) - position(right.location);
}

function position(location: InputLocation): number {
  return location.line ?? location.row ?? -1;
}
