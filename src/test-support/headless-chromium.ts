import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { BrowserContext, Page } from "playwright-core";

/** Debian's chromium, installed by .ci/run. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** Flags for a quiet, offline, throwaway headless chromium (root in CI needs --no-sandbox). */
const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A running browser, or why there is none (tests then skip and say so). */
export type Chromium = { context: BrowserContext; skip?: undefined } | { context?: undefined; skip: string };

/** Launches headless chromium with a fresh profile; never throws, returns a skip reason instead. */
export async function launchChromium(): Promise<Chromium> {
  if (!existsSync(CHROMIUM_PATH)) return { skip: `${CHROMIUM_PATH} is missing (apt-get install chromium)` };
  try {
    const { chromium } = await import("playwright-core");
    const profile = mkdtempSync(join(tmpdir(), "litelong-chromium-"));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1360, height: 900 },
    });
    return { context };
  } catch (error) {
    return { skip: `chromium did not start: ${(error as Error).message.split("\n")[0]}` };
  }
}

/** What a page did that a report page must not: errors, dialogs, requests leaving the file. */
export interface PageProblems {
  consoleErrors: string[];
  dialogs: string[];
  requests: string[];
}

/**
 * Opens a local HTML file in a new page, recording console errors, uncaught exceptions, dialogs
 * (alert/confirm) and any request other than the file itself (network requests are aborted).
 */
export async function openFile(context: BrowserContext, path: string): Promise<{ page: Page; problems: PageProblems; loadMilliseconds: number }> {
  const page = await context.newPage();
  const problems: PageProblems = { consoleErrors: [], dialogs: [], requests: [] };
  const url = pathToFileURL(path).href;
  page.on("console", (message) => {
    if (message.type() === "error") problems.consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => problems.consoleErrors.push(`uncaught: ${error.message}`));
  page.on("dialog", (dialog) => {
    problems.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on("request", (request) => {
    if (request.url() !== url) problems.requests.push(request.url());
  });
  // Nothing may leave the machine even if a page tried.
  await page.route(/^(https?|wss?):/, (route) => route.abort());
  const started = performance.now();
  await page.goto(url, { waitUntil: "load" });
  return { page, problems, loadMilliseconds: Math.round(performance.now() - started) };
}
