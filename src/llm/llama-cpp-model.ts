import { stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import type { ChatHistoryItem, Llama, LlamaContext, LlamaContextSequence, LlamaGrammar, LlamaModel } from "node-llama-cpp";
import { stableStringify } from "../core/stable-json.js";
import { CHAT_MODEL_SPECIFICATION_VERSION, type ChatCallOptions, type ChatMessage, type ChatModel, type ChatRequest, type ChatResponse } from "./chat-model.js";
import { ModelCallError } from "./model-call-error.js";
import type { GgufModelConfig } from "./model-config.js";

let sharedLlama: Promise<Llama> | undefined;

/**
 * The llama.cpp runtime, loaded once per process from the prebuilt binary node-llama-cpp ships
 * for this platform. Never builds from source or downloads anything: a run must not reach out
 * to the network behind the user's back, and most machines have no toolchain for it.
 */
async function loadLlama(threads: number): Promise<Llama> {
  sharedLlama ??= import("node-llama-cpp").then(({ getLlama, LlamaLogLevel }) =>
    getLlama({ gpu: false, build: "never", skipDownload: true, usePrebuiltBinaries: true, progressLogs: false, maxThreads: threads, logLevel: LlamaLogLevel.error }),
  );
  return sharedLlama;
}

/**
 * A GGUF model run in-process by llama.cpp. Replies are constrained by a grammar made from
 * the request's JSON schema, so even a tiny model returns JSON of the asked shape. One context
 * sequence per concurrent request; the ModelClient's limiter keeps requests within that count.
 */
export class LlamaCppModel implements ChatModel {
  readonly specificationVersion = CHAT_MODEL_SPECIFICATION_VERSION;
  readonly provider = "llama-cpp";
  private readonly free: LlamaContextSequence[] = [];
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();

  private constructor(
    readonly name: string,
    readonly identity: string,
    private readonly config: GgufModelConfig,
    private readonly llama: Llama,
    private readonly model: LlamaModel,
    private readonly context: LlamaContext,
  ) {
    for (let i = 0; i < context.totalSequences; i++) this.free.push(context.getSequence());
  }

  /** Loads the GGUF file; `sequences` is how many requests may run at once. */
  static async open(name: string, config: GgufModelConfig, sequences: number): Promise<LlamaCppModel> {
    const path = resolve(config.gguf);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch (error) {
      throw new ModelCallError(name, "local-model", `cannot read the GGUF file ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
    }
    try {
      const llama = await loadLlama(config.threads);
      const model = await llama.loadModel({ modelPath: path, gpuLayers: 0 });
      const context = await model.createContext({ contextSize: config.contextSize, sequences, threads: config.threads });
      // Name and size identify the weights without hashing gigabytes at every start.
      return new LlamaCppModel(name, `llama-cpp:${basename(path)}:${size}`, config, llama, model, context);
    } catch (error) {
      throw new ModelCallError(name, "local-model", `cannot load ${path} with llama.cpp (${(error as Error).message})`, { cause: error });
    }
  }

  async complete(request: ChatRequest, options: ChatCallOptions): Promise<ChatResponse> {
    const sequence = this.free.pop();
    if (!sequence) throw new ModelCallError(this.name, "local-model", "more concurrent requests than context sequences");
    const { LlamaChatSession } = await import("node-llama-cpp");
    const session = new LlamaChatSession({ contextSequence: sequence, autoDisposeSequence: false });
    try {
      const last = request.messages.at(-1);
      if (last?.role !== "user") throw new ModelCallError(this.name, "rejected-request", "the last message must be the user's");
      session.setChatHistory(toHistory(request.messages.slice(0, -1)));
      const grammar = request.jsonSchema ? await this.grammarFor(request.jsonSchema.schema) : undefined;
      const reply = await session.promptWithMeta(last.content, {
        grammar,
        maxTokens: request.maxTokens,
        temperature: request.temperature,
        topP: request.topP,
        seed: this.config.seed,
        signal: options.signal,
      });
      const promptText = request.messages.map((message) => message.content).join("\n");
      return {
        text: reply.responseText,
        finishReason: reply.stopReason === "maxTokens" ? "length" : "stop",
        usage: { promptTokens: this.model.tokenize(promptText).length, completionTokens: this.model.tokenize(reply.responseText).length },
        structured: grammar ? "grammar" : "none",
      };
    } catch (error) {
      if (error instanceof ModelCallError) throw error;
      if (options.signal.aborted) throw new ModelCallError(this.name, "timeout", "generation timed out", { cause: error });
      throw new ModelCallError(this.name, "local-model", `generation failed (${(error as Error).message})`, { cause: error });
    } finally {
      session.dispose({ disposeSequence: false });
      await sequence.clearHistory();
      this.free.push(sequence);
    }
  }

  async close(): Promise<void> {
    await this.context.dispose();
    await this.model.dispose();
  }

  private grammarFor(schema: Record<string, unknown>): Promise<LlamaGrammar> {
    const key = stableStringify(schema);
    let grammar = this.grammars.get(key);
    if (!grammar) {
      grammar = this.llama.createGrammarForJsonSchema(schema as never);
      this.grammars.set(key, grammar);
    }
    return grammar;
  }
}

function toHistory(messages: ChatMessage[]): ChatHistoryItem[] {
  return messages.map((message): ChatHistoryItem => {
    if (message.role === "system") return { type: "system", text: message.content };
    if (message.role === "user") return { type: "user", text: message.content };
    return { type: "model", response: [message.content] };
  });
}
