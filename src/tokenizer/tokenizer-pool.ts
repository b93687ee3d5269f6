import { Worker } from "node:worker_threads";
import type { Tokenizer } from "./tokenizer.js";

/** Characters per task sent to a worker: large enough to amortise messaging, small enough to balance. */
const TASK_CHARACTERS = 256 * 1024;

interface Task {
  id: number;
  texts: string[];
  resolve: (ids: Uint32Array[]) => void;
  reject: (error: Error) => void;
}

/**
 * Tokenizes on worker threads (one tokenizer each), keeping results in input order, so outputs
 * never depend on how many workers there are. With zero workers it tokenizes on the calling
 * thread with the tokenizer given.
 */
export class TokenizerPool {
  private readonly idle: Worker[] = [];
  private readonly queue: Task[] = [];
  private readonly running = new Map<number, { task: Task; worker: Worker }>();
  private nextId = 0;
  private failure: Error | undefined;

  private constructor(private readonly local: Tokenizer) {}

  /** Starts `workers` threads loading tokenizer `spec`; resolves when all are ready. */
  static async create(spec: string, workers: number, local: Tokenizer): Promise<TokenizerPool> {
    const pool = new TokenizerPool(local);
    const url = new URL("./tokenizer-worker.js", import.meta.url);
    await Promise.all(
      Array.from({ length: workers }, () => {
        const worker = new Worker(url, { workerData: { spec } });
        return new Promise<void>((resolve, reject) => {
          worker.once("error", reject);
          worker.once("message", () => {
            worker.off("error", reject);
            pool.adopt(worker);
            resolve();
          });
        });
      }),
    );
    return pool;
  }

  get workers(): number {
    return this.idle.length + this.running.size;
  }

  /** Token ids of each text, in order. */
  async encodeMany(texts: readonly string[]): Promise<Uint32Array[]> {
    if (this.workers === 0) return texts.map((text) => this.local.encode(text));
    const batches: string[][] = [[]];
    let characters = 0;
    for (const text of texts) {
      if (characters >= TASK_CHARACTERS) {
        batches.push([]);
        characters = 0;
      }
      batches[batches.length - 1]!.push(text);
      characters += text.length;
    }
    const results = await Promise.all(batches.map((batch) => this.submit(batch)));
    return results.flat();
  }

  async close(): Promise<void> {
    const workers = [...this.idle, ...[...this.running.values()].map((entry) => entry.worker)];
    this.idle.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private adopt(worker: Worker): void {
    worker.on("message", (message: { id: number; ids: Uint32Array[] }) => {
      const entry = this.running.get(message.id);
      if (!entry) return;
      this.running.delete(message.id);
      entry.task.resolve(message.ids);
      this.idle.push(worker);
      this.dispatch();
    });
    worker.on("error", (error) => this.fail(error));
    this.idle.push(worker);
  }

  private submit(texts: string[]): Promise<Uint32Array[]> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, texts, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.shift()!;
      const task = this.queue.shift()!;
      this.running.set(task.id, { task, worker });
      worker.postMessage({ id: task.id, texts: task.texts });
    }
  }

  private fail(error: Error): void {
    this.failure = error;
    for (const { task } of this.running.values()) task.reject(error);
    for (const task of this.queue.splice(0)) task.reject(error);
    this.running.clear();
  }
}
