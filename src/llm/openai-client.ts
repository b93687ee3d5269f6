import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { failureForStatus, ModelCallError } from "./model-call-error.js";
import { parseRetryAfter } from "./retry-policy.js";

/**
 * The official `openai` client for one endpoint, with its own retries and timeout switched off
 * (our callers retry, so usage counts every attempt, and time each attempt out themselves).
 * The key is read from the environment variable `apiKeyEnv` names.
 */
export function openAIClient(baseURL: string, apiKeyEnv: string | undefined, environment: NodeJS.ProcessEnv): OpenAI {
  // Servers without authentication still need some bearer value for the client to start.
  const apiKey = (apiKeyEnv ? environment[apiKeyEnv] : undefined) || "none";
  return new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 24 * 3600 * 1000 });
}

/** The client's errors as ModelCallErrors; status and Retry-After kept, bodies never echoed in full. */
export function modelCallErrorFrom(model: string, error: unknown, signal: AbortSignal): ModelCallError {
  if (error instanceof APIUserAbortError || signal.aborted) {
    const timedOut = (signal.reason as Error | undefined)?.name === "TimeoutError";
    return new ModelCallError(model, timedOut ? "timeout" : "aborted", timedOut ? "request timed out" : "request aborted", { cause: error });
  }
  if (error instanceof APIConnectionTimeoutError) return new ModelCallError(model, "timeout", "request timed out", { cause: error });
  if (error instanceof APIConnectionError) return new ModelCallError(model, "connection", `connection failed (${describeCause(error)})`, { cause: error });
  if (error instanceof APIError && error.status !== undefined) {
    return new ModelCallError(model, failureForStatus(error.status), `HTTP ${error.status}: ${error.message.slice(0, 300)}`, {
      status: error.status,
      retryAfterMs: parseRetryAfter(error.headers),
      cause: error,
    });
  }
  // A 200 whose body is not JSON, or a body cut short: the client fails while reading it.
  return new ModelCallError(model, "malformed-response", `unreadable reply (${(error as Error).message.slice(0, 200)})`, { cause: error });
}

function describeCause(error: Error): string {
  const cause = error.cause as (Error & { code?: string; cause?: { code?: string } }) | undefined;
  return cause?.code ?? cause?.cause?.code ?? cause?.message ?? error.message;
}
