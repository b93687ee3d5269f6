import type OpenAI from "openai";
import { z } from "zod";
import type { EmbeddingModelConfig } from "./embedding-config.js";
import { EMBEDDING_MODEL_SPECIFICATION_VERSION, type EmbeddingModel, type EmbeddingResponse } from "./embedding-model.js";
import { ModelCallError } from "./model-call-error.js";
import { modelCallErrorFrom, openAIClient } from "./openai-client.js";

// What we need of an embeddings reply; servers differ in everything else.
const embeddingsReplySchema = z.object({
  data: z.array(z.object({ index: z.number().int().min(0), embedding: z.array(z.number()) })),
  usage: z.object({ prompt_tokens: z.number().nullish() }).nullish(),
});

/**
 * A model behind an OpenAI-compatible `/embeddings` endpoint, through the official `openai`
 * client. Vectors are asked for as JSON floats (every server speaks that; base64 is not
 * universal) and put back in input order by their `index`: servers may answer out of order.
 */
export class OpenAICompatibleEmbeddingModel implements EmbeddingModel {
  readonly specificationVersion = EMBEDDING_MODEL_SPECIFICATION_VERSION;
  readonly provider = "openai-compatible";
  readonly identity: string;
  private readonly client: OpenAI;

  /** `baseURL` is this endpoint's (one replica's) address; the rest comes from the model's config. */
  constructor(
    readonly name: string,
    baseURL: string,
    private readonly config: Pick<EmbeddingModelConfig, "model" | "apiKeyEnv">,
    environment: NodeJS.ProcessEnv = process.env,
  ) {
    this.identity = `${this.provider}:${config.model}`;
    this.client = openAIClient(baseURL, config.apiKeyEnv, environment);
  }

  async embed(inputs: readonly string[], options: { signal: AbortSignal }): Promise<EmbeddingResponse> {
    let raw: unknown;
    try {
      raw = await this.client.embeddings.create({ model: this.config.model, input: [...inputs], encoding_format: "float" }, { signal: options.signal });
    } catch (error) {
      throw modelCallErrorFrom(this.name, error, options.signal);
    }
    const parsed = embeddingsReplySchema.safeParse(raw);
    if (!parsed.success) throw this.malformed(`reply is not an embeddings list (${parsed.error.issues[0]?.message})`);
    const vectors = new Array<Float32Array | undefined>(inputs.length);
    for (const item of parsed.data.data) {
      if (item.index >= inputs.length || vectors[item.index]) throw this.malformed(`reply has index ${item.index} ${item.index >= inputs.length ? `for ${inputs.length} inputs` : "twice"}`);
      vectors[item.index] = Float32Array.from(item.embedding);
    }
    const missing = vectors.findIndex((vector) => vector === undefined);
    if (missing >= 0) throw this.malformed(`reply has no vector for input ${missing} of ${inputs.length}`);
    const dimensions = vectors[0]?.length ?? 0;
    if (dimensions === 0 || vectors.some((vector) => vector!.length !== dimensions)) throw this.malformed("reply's vectors are empty or of different lengths");
    return { vectors: vectors as Float32Array[], usage: { promptTokens: parsed.data.usage?.prompt_tokens ?? 0, completionTokens: 0 } };
  }

  async close(): Promise<void> {}

  private malformed(reason: string): ModelCallError {
    return new ModelCallError(this.name, "malformed-response", reason);
  }
}
