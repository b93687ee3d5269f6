import { formatNumber } from "./format-number.js";
import type { GroupedFigures } from "./run-report.js";
import { html, type HtmlValue, type SafeHtml } from "./safe-html.js";

/** One part of the page: its anchor id, title (also the nav entry) and body. */
export interface PageSection {
  id: string;
  title: string;
  body: SafeHtml;
}

/** A chart placeholder the page script fills from the chart spec with the same id. */
export function chartBox(id: string, title: string, note?: HtmlValue): SafeHtml {
  return html`<div class="chart-box"><h3>${title}</h3><div class="chart" data-chart="${id}"></div>${note ? html`<p class="note">${note}</p>` : ""}</div>`;
}

/** A figure card: big value, small label. */
export function card(label: string, value: HtmlValue): SafeHtml {
  return html`<div class="card"><div class="value">${value}</div><div class="label">${label}</div></div>`;
}

/** A column of `table`: heading, cell of a row, and whether it holds numbers (right-aligned). */
export interface Column<Row> {
  heading: string;
  cell: (row: Row) => HtmlValue;
  numeric?: boolean;
}

/** A table with escaped cells; numbers are formatted with thousands separators. */
export function table<Row>(columns: ReadonlyArray<Column<Row>>, rows: readonly Row[], className = ""): SafeHtml {
  const head = columns.map((column) => html`<th class="${column.numeric ? "num" : ""}">${column.heading}</th>`);
  const body = rows.map(
    (row) =>
      html`<tr>${columns.map((column) => {
        const value = column.cell(row);
        return html`<td class="${column.numeric ? "num" : ""}">${typeof value === "number" ? formatNumber(value) : value}</td>`;
      })}</tr>`,
  );
  return html`<table class="${className}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** "Not in this run" with the reason. */
export function absent(note: string): SafeHtml {
  return html`<p class="absent">${note}</p>`;
}

/**
 * Grouped figures as a pivot table (rows = groups, columns = names), with ungrouped figures
 * listed first; how a stage's `prefix.name` counts are shown without knowing them in advance.
 */
export function figuresTable(figures: readonly GroupedFigures[]): SafeHtml {
  const loose = figures.filter((figure) => figure.group === "");
  const grouped = figures.filter((figure) => figure.group !== "");
  const groups = [...new Set(grouped.map((figure) => figure.group))];
  const names = [...new Set(grouped.map((figure) => figure.name))];
  const value = (group: string, name: string) => grouped.find((figure) => figure.group === group && figure.name === name)?.value ?? "";
  const looseTable = loose.length > 0 ? table<GroupedFigures>([{ heading: "name", cell: (figure) => figure.name }, { heading: "value", cell: (figure) => numeric(figure.value), numeric: true }], loose, "narrow") : "";
  const pivot =
    groups.length > 0
      ? table<string>([{ heading: "", cell: (group) => group }, ...names.map((name) => ({ heading: name, cell: (group: string) => numeric(value(group, name)), numeric: true }))], groups, "pivot narrow")
      : "";
  return html`${looseTable}${pivot}`;
}

/** Numbers recorded as strings (facts) shown like counts. */
function numeric(value: string): HtmlValue {
  return value !== "" && Number.isFinite(Number(value)) ? formatNumber(Number(value)) : value;
}
