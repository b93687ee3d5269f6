/**
 * Overhead of the debate machinery: 1,000 subjects against a server that answers instantly
 * (in another process). Reports requests in flight per model against the configured limit,
 * and the share of wall time with no request in flight, i.e. spent outside waiting on HTTP.
 *
 *   node dist/bench/debate-overhead.js [--subjects 1000] [--concurrency 16] [--json]
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Subject } from "../core/records.js";
import type { RequestObserver } from "../llm/model-client.js";
import { modelsConfigSchema } from "../llm/model-config.js";
import { openModelClients } from "../llm/open-model-clients.js";
import { ResponseCache } from "../llm/response-cache.js";
import { debateOptionsSchema } from "../pipeline/topics/debate-options.js";
import { loadPromptTemplates } from "../pipeline/topics/prompt-templates.js";
import { runDebate } from "../pipeline/topics/run-debate.js";
import { temporaryDirectory } from "../test-support/fixtures.js";

/** Time-weighted requests in flight, per model and in total. */
class FlightRecorder implements RequestObserver {
  private readonly inFlight = new Map<string, number>();
  private readonly area = new Map<string, number>();
  private readonly lastChange = new Map<string, number>();
  private total = 0;
  private idleSince: number | undefined = performance.now();
  idleMs = 0;

  requestStarted(model: string): void {
    this.change(model, +1);
  }

  requestFinished(model: string): void {
    this.change(model, -1);
  }

  /** Mean requests in flight of a model over `wallMs`. */
  meanInFlight(model: string, wallMs: number): number {
    return (this.area.get(model) ?? 0) / wallMs;
  }

  finish(): void {
    if (this.idleSince !== undefined) this.idleMs += performance.now() - this.idleSince;
    this.idleSince = undefined;
  }

  private change(model: string, delta: number): void {
    const now = performance.now();
    const count = this.inFlight.get(model) ?? 0;
    this.area.set(model, (this.area.get(model) ?? 0) + count * (now - (this.lastChange.get(model) ?? now)));
    this.lastChange.set(model, now);
    this.inFlight.set(model, count + delta);
    if (this.total === 0 && this.idleSince !== undefined) this.idleMs += now - this.idleSince;
    this.total += delta;
    this.idleSince = this.total === 0 ? now : undefined;
  }
}

async function startServer(): Promise<{ baseURL: string; stop: () => Promise<void> }> {
  const script = join(dirname(fileURLToPath(import.meta.url)), "instant-chat-server.js");
  const child = spawn(process.execPath, [script], { stdio: ["pipe", "pipe", "inherit"] });
  const [line] = (await once(createInterface({ input: child.stdout! }), "line")) as [string];
  return {
    baseURL: line.trim(),
    stop: async () => {
      child.stdin!.end();
      await once(child, "exit");
    },
  };
}

/** Runs the benchmark and returns its figures. */
export async function benchDebateOverhead(subjectCount: number, concurrency: number, subjectsInFlight?: number) {
  const server = await startServer();
  const names = ["alpha", "beta", "gamma"];
  const models = modelsConfigSchema.parse(Object.fromEntries(names.map((name) => [name, { baseURL: server.baseURL, model: name, maxConcurrency: concurrency }])));
  const cache = await ResponseCache.open(join(temporaryDirectory("litelong-bench-"), "llm-cache.jsonl"));
  const recorder = new FlightRecorder();
  const clients = await openModelClients(models, names, { cache, observer: recorder });
  const subjects: Subject[] = Array.from({ length: subjectCount }, (_, i) => ({ id: `S${i}`, section: "Cooking", path: ["Cooking", `Dish ${i}`], label: `Cooking / Dish ${i}`, topicsWanted: 10 }));
  const options = debateOptionsSchema.parse({ debaters: ["alpha", "beta"], judge: "gamma", subjectsInFlight });
  const templates = await loadPromptTemplates();
  const loop = performance.eventLoopUtilization();
  const started = performance.now();
  const result = await runDebate(subjects, { options, templates, client: clients.get, maxTokens: () => 2048 });
  recorder.finish();
  const wallMs = performance.now() - started;
  const utilization = performance.eventLoopUtilization(loop).utilization;
  const usage = clients.usage();
  await clients.close();
  await cache.close();
  await server.stop();
  const calls = Object.values(usage).reduce((sum, entry) => sum + entry.calls, 0);
  return {
    subjects: subjectCount,
    subjectsInFlight: options.subjectsInFlight,
    configuredConcurrency: concurrency,
    calls,
    topics: result.counts.topics,
    wallSeconds: Math.round(wallMs) / 1000,
    callsPerSecond: Math.round(calls / (wallMs / 1000)),
    meanInFlight: Object.fromEntries(names.map((name) => [name, Math.round(recorder.meanInFlight(name, wallMs) * 100) / 100])),
    percentWallTimeWithNoRequestInFlight: Math.round((recorder.idleMs / wallMs) * 10000) / 100,
    eventLoopUtilization: Math.round(utilization * 1000) / 1000,
  };
}

const isMain = process.argv[1] === fileURLToPath(import.meta.url);
if (isMain) {
  const { values } = parseArgs({ options: { subjects: { type: "string", default: "1000" }, concurrency: { type: "string", default: "16" }, "subjects-in-flight": { type: "string" }, json: { type: "boolean", default: false } } });
  const figures = await benchDebateOverhead(Number(values.subjects), Number(values.concurrency), values["subjects-in-flight"] === undefined ? undefined : Number(values["subjects-in-flight"]));
  process.stdout.write(values.json ? JSON.stringify(figures) + "\n" : Object.entries(figures).map(([name, value]) => `${name}: ${typeof value === "object" ? JSON.stringify(value) : value}`).join("\n") + "\n");
}
