import { charIndexAtUtf8Byte } from "./exact-token-cut.js";

/** One document ready for packing: its normalized text plus separator, and that text's ids. */
export interface StreamUnit {
  docId: string;
  text: string;
  ids: Uint32Array;
}

/**
 * A topic's units end to end, in characters and in tokens. Units end with a newline and start
 * with a non-space, so (for word-start-safe tokenizers) the ids of the joined text are the
 * units' ids joined: each unit is tokenized once, on its own, possibly on a worker.
 */
export class TokenStream {
  readonly text: string;
  readonly ids: Uint32Array;
  readonly units: readonly StreamUnit[];
  /** Character / token offset where each unit starts, plus the total at the end. */
  readonly unitCharStarts: number[] = [0];
  readonly unitTokenStarts: number[] = [0];
  private readonly cumulativeBytes = new Map<number, Uint32Array>();

  constructor(units: readonly StreamUnit[], private readonly tokenByteLengths: Uint16Array) {
    this.units = units;
    this.text = units.map((unit) => unit.text).join("");
    let tokens = 0;
    for (const unit of units) tokens += unit.ids.length;
    this.ids = new Uint32Array(tokens);
    let offset = 0;
    for (const unit of units) {
      this.ids.set(unit.ids, offset);
      offset += unit.ids.length;
      this.unitTokenStarts.push(offset);
      this.unitCharStarts.push(this.unitCharStarts[this.unitCharStarts.length - 1]! + unit.text.length);
    }
  }

  /** Index of the unit holding character `char` (the last unit for the end position). */
  unitAtChar(char: number): number {
    return lastAtOrBefore(this.unitCharStarts, char, this.units.length - 1);
  }

  /** Index of the unit holding token `token`. */
  unitAtToken(token: number): number {
    return lastAtOrBefore(this.unitTokenStarts, token, this.units.length - 1);
  }

  /** Character offset where token `token` starts; `exact` is false when it starts inside a character. */
  charOfToken(token: number): { char: number; exact: boolean } {
    if (token >= this.ids.length) return { char: this.text.length, exact: true };
    const unit = this.unitAtToken(token);
    const bytes = this.bytesBefore(unit)[token - this.unitTokenStarts[unit]!]!;
    const unitText = this.units[unit]!.text;
    const charInUnit = charIndexAtUtf8Byte(unitText, bytes);
    return { char: this.unitCharStarts[unit]! + charInUnit, exact: Buffer.byteLength(unitText.slice(0, charInUnit)) === bytes };
  }

  /** The token that starts exactly at character `char`, or undefined when none does. */
  tokenAtChar(char: number): number | undefined {
    if (char >= this.text.length) return this.ids.length;
    const unit = this.unitAtChar(char);
    const bytes = Buffer.byteLength(this.units[unit]!.text.slice(0, char - this.unitCharStarts[unit]!));
    const before = this.bytesBefore(unit);
    const index = lastAtOrBefore(before, bytes, before.length - 1);
    return before[index] === bytes ? this.unitTokenStarts[unit]! + index : undefined;
  }

  /** Bytes before each token of a unit (length = tokens + 1), computed once per unit. */
  private bytesBefore(unit: number): Uint32Array {
    let table = this.cumulativeBytes.get(unit);
    if (!table) {
      const ids = this.units[unit]!.ids;
      table = new Uint32Array(ids.length + 1);
      for (let i = 0; i < ids.length; i++) table[i + 1] = table[i]! + this.tokenByteLengths[ids[i]!]!;
      this.cumulativeBytes.set(unit, table);
    }
    return table;
  }
}

/** Largest index i <= maxIndex with values[i] <= target (values ascending). */
function lastAtOrBefore(values: ArrayLike<number>, target: number, maxIndex: number): number {
  let low = 0;
  let high = Math.min(maxIndex, values.length - 1);
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (values[middle]! <= target) low = middle;
    else high = middle - 1;
  }
  return low;
}
