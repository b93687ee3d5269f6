import { escapeHtml } from "./escape-html.js";

/** Markup that is already safe: built by `html` (which escapes what it interpolates) or `trustedHtml`. */
export class SafeHtml {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

/** What `html` accepts between its literal parts. */
export type HtmlValue = SafeHtml | string | number | undefined | null | readonly HtmlValue[];

/**
 * Tagged template for markup: every interpolated string or number is escaped, arrays are
 * joined, SafeHtml is inserted as is. Untrusted text therefore cannot become markup unless
 * someone wraps it in `trustedHtml`, which only the page's own constants use.
 */
export function html(literals: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let text = literals[0]!;
  values.forEach((value, i) => {
    text += render(value) + literals[i + 1]!;
  });
  return new SafeHtml(text);
}

function render(value: HtmlValue): string {
  if (value === undefined || value === null) return "";
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

/** Marks the page's own constant markup (never data) as safe. */
export function trustedHtml(text: string): SafeHtml {
  return new SafeHtml(text);
}
