import { LlamaCppModel } from "./llama-cpp-model.js";
import { ModelClient, type RequestObserver } from "./model-client.js";
import { isGgufModel, maxConcurrencyOf, replicaURLs, timeoutMsOf, type ModelConfig, type ModelsConfig } from "./model-config.js";
import type { ModelUsage } from "./model-usage.js";
import { OpenAICompatibleModel } from "./openai-compatible-model.js";
import { redactedAddress, type ChatReplica } from "./replica-pool.js";
import type { ResponseCache } from "./response-cache.js";
import { DEFAULT_RETRY_POLICY } from "./retry-policy.js";

export interface OpenModelClientsOptions {
  cache?: ResponseCache;
  observer?: RequestObserver;
  /** Where API keys are read from (by each model's apiKeyEnv). Default process.env. */
  environment?: NodeJS.ProcessEnv;
}

/** The clients of the models a run uses, and a way to release them. */
export interface ModelClients {
  get(name: string): ModelClient;
  usage(): Record<string, ModelUsage>;
  close(): Promise<void>;
}

/** Opens a client for each named model (local models are loaded now, so errors show early). */
export async function openModelClients(models: ModelsConfig, names: readonly string[], options: OpenModelClientsOptions = {}): Promise<ModelClients> {
  const clients = new Map<string, ModelClient>();
  try {
    for (const name of new Set(names)) {
      const config = models[name];
      if (!config) throw new Error(`no model named ${name}`);
      const replicas = await openReplicas(name, config, options.environment);
      clients.set(
        name,
        new ModelClient(name, replicas, {
          maxConcurrency: maxConcurrencyOf(config),
          timeoutMs: timeoutMsOf(config),
          retry: { ...DEFAULT_RETRY_POLICY, maxRetries: config.maxRetries, initialDelayMs: config.retryDelaySeconds * 1000 },
          price: config.price,
          cache: options.cache,
          observer: options.observer,
        }),
      );
    }
  } catch (error) {
    await Promise.all([...clients.values()].map((client) => client.close()));
    throw error;
  }
  return {
    get(name) {
      const client = clients.get(name);
      if (!client) throw new Error(`model ${name} was not opened`);
      return client;
    },
    usage: () => Object.fromEntries([...clients].map(([name, client]) => [name, usageOf(client)])),
    close: async () => {
      await Promise.all([...clients.values()].map((client) => client.close()));
    },
  };
}

/** A local model is one replica; an HTTP model has one per URL, all with the model's API key. */
async function openReplicas(name: string, config: ModelConfig, environment?: NodeJS.ProcessEnv): Promise<ChatReplica[]> {
  if (isGgufModel(config)) return [{ address: config.gguf, model: await LlamaCppModel.open(name, config, maxConcurrencyOf(config)) }];
  return replicaURLs(config).map((url) => ({ address: redactedAddress(url), model: new OpenAICompatibleModel(name, url, config, environment) }));
}

/** A model's usage, with each replica's when it has several. */
function usageOf(client: ModelClient): ModelUsage {
  const replicas = client.replicaUsage();
  return replicas.length > 1 ? { ...client.usage, replicas } : { ...client.usage };
}
