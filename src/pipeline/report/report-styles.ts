/** The page's stylesheet (inlined; system fonts only, so nothing is fetched). */
export const REPORT_STYLES = `
:root { --ink: #1d2330; --muted: #5d6677; --line: #e3e6ec; --panel: #ffffff; --page: #f4f6f9; --accent: #3868c8; --warn: #b3501f; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--page); color: var(--ink); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
header.page { background: #1d2b4a; color: #fff; padding: 22px 32px 18px; }
header.page h1 { margin: 0 0 4px; font-size: 22px; font-weight: 600; }
header.page .sub { color: #c3cce0; font-size: 13px; word-break: break-all; }
nav { position: sticky; top: 0; z-index: 5; background: #fff; border-bottom: 1px solid var(--line); padding: 8px 32px; display: flex; flex-wrap: wrap; gap: 4px 18px; font-size: 13px; }
nav a { color: var(--accent); text-decoration: none; }
nav a:hover { text-decoration: underline; }
main { max-width: 1280px; margin: 0 auto; padding: 20px 32px 60px; }
section.part { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 18px 22px; margin: 0 0 20px; }
section.part > h2 { margin: 0 0 12px; font-size: 17px; font-weight: 600; }
h3 { margin: 4px 0 6px; font-size: 14px; font-weight: 600; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(136px, 1fr)); gap: 10px; margin-bottom: 14px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: #fafbfd; }
.card .value { font-size: 18px; font-weight: 600; font-variant-numeric: tabular-nums; white-space: nowrap; }
.card .label { color: var(--muted); font-size: 12px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 18px 26px; }
.chart { min-height: 120px; width: 100%; overflow: hidden; }
.chart .uplot { width: 100%; }
.chart .u-legend { font-size: 12px; text-align: left; }
.empty, .absent { color: var(--muted); font-style: italic; }
.absent::before { content: "\\2014\\00a0"; }
.note { color: var(--muted); font-size: 13px; }
.ok { color: #2d7a4f; font-weight: 600; }
.warn { color: var(--warn); font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 13px; }
th, td { text-align: left; padding: 4px 10px 4px 0; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: 12px; }
.scroll th { position: sticky; top: 0; background: #fff; }
.nowrap { white-space: nowrap; }
details pre { background: #f6f7f9; border-radius: 6px; padding: 8px 10px; font-size: 12px; overflow: auto; max-height: 320px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td code, li code { font-size: 12px; }
.scroll { max-height: 420px; overflow: auto; border: 1px solid var(--line); border-radius: 6px; padding: 0 10px; }
.browser-controls { display: flex; flex-wrap: wrap; gap: 10px 16px; align-items: end; margin: 8px 0 10px; }
.browser-controls label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 3px; }
.browser-controls select, .browser-controls input { font: inherit; padding: 5px 8px; border: 1px solid #c8cdd8; border-radius: 5px; background: #fff; min-width: 200px; max-width: 420px; }
#sample-meta { display: flex; flex-wrap: wrap; gap: 6px; margin: 6px 0 10px; }
.meta-part { background: #eef2fa; border-radius: 4px; padding: 2px 8px; font-size: 12px; }
#sample-view { max-height: 640px; overflow: auto; border: 1px solid var(--line); border-radius: 6px; background: #fcfcfd; }
/* Off-screen documents of a 0.5 MB sample skip layout and paint until scrolled to. */
.doc { border-left: 4px solid var(--accent); margin: 0 0 2px; content-visibility: auto; contain-intrinsic-size: auto 400px; }
.doc:nth-child(even) { border-left-color: #e0803a; }
.doc-header { position: sticky; top: 0; display: flex; flex-wrap: wrap; gap: 10px; align-items: baseline; background: #eef2fa; padding: 4px 10px; font-size: 12px; border-top: 1px solid #d5dcea; }
.doc-number { font-weight: 600; }
.doc-size { color: var(--muted); }
.badge { background: #fde8d9; color: var(--warn); border-radius: 4px; padding: 0 6px; }
.doc-text { white-space: pre-wrap; word-break: break-word; padding: 6px 12px 10px; font: 13px/1.55 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
mark.negative { background: #fde2e1; }
.pivot td:first-child { font-weight: 600; }
table.narrow { width: auto; min-width: 50%; }
table.narrow th, table.narrow td { padding-right: 28px; }
footer { color: var(--muted); font-size: 12px; text-align: center; margin: 10px 0 30px; }
`;
