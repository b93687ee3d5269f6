import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { LitelongError } from "../../core/errors.js";

const require = createRequire(import.meta.url);

/** The charting library the page inlines: its minified script and stylesheet. */
export interface ChartLibrary {
  name: string;
  version: string;
  script: string;
  styles: string;
}

let cached: Promise<ChartLibrary> | undefined;

/**
 * uPlot (MIT), read from node_modules at report time and inlined so the page needs no network.
 * Chosen by measurement: 51 KB minified against 210 KB (Chart.js) and 1.1 MB (ECharts), and the
 * fastest 30K-point line in headless Chromium (README, "Choices").
 */
export function loadChartLibrary(): Promise<ChartLibrary> {
  cached ??= readChartLibrary();
  return cached;
}

async function readChartLibrary(): Promise<ChartLibrary> {
  let directory: string;
  try {
    directory = dirname(require.resolve("uplot/package.json"));
  } catch (error) {
    throw new LitelongError("the report needs the uplot package; reinstall litelong's dependencies (npm ci)", { cause: error });
  }
  const manifest = JSON.parse(await readFile(join(directory, "package.json"), "utf8")) as { version: string };
  const script = await readFile(join(directory, "dist", "uPlot.iife.min.js"), "utf8");
  const styles = await readFile(join(directory, "dist", "uPlot.min.css"), "utf8");
  // Inlined verbatim into <script>/<style>: a closing tag inside would end the element early.
  if (/<\/(script|style)|<!--/i.test(script + styles)) throw new LitelongError(`uplot ${manifest.version}: its bundle contains markup that cannot be inlined`);
  return { name: "uPlot", version: manifest.version, script, styles };
}
