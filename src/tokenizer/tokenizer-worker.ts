import { parentPort, workerData } from "node:worker_threads";
import { loadTokenizer } from "./load-tokenizer.js";

/** A worker thread that tokenizes batches of texts with one tokenizer (see TokenizerPool). */
const tokenizer = await loadTokenizer((workerData as { spec: string }).spec);
parentPort!.on("message", (task: { id: number; texts: string[] }) => {
  const ids = task.texts.map((text) => tokenizer.encode(text));
  parentPort!.postMessage({ id: task.id, ids }, ids.map((array) => array.buffer as ArrayBuffer));
});
parentPort!.postMessage({ ready: true });
