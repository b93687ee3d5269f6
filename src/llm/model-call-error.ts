import { LitelongError } from "../core/errors.js";

/** Why a model call failed; decides whether trying again can help. */
export type ModelCallFailure =
  | "rate-limited"
  | "server-error"
  | "timeout"
  | "connection"
  | "malformed-response"
  | "rejected-request"
  | "authentication"
  | "unsupported-format"
  | "local-model"
  | "aborted";

const RETRYABLE: ReadonlySet<ModelCallFailure> = new Set(["rate-limited", "server-error", "timeout", "connection", "malformed-response"]);

/**
 * A failed call to a model. Carries the model's configured name, the HTTP status when there
 * was one, whether retrying can help, and the server's Retry-After when it sent one.
 */
export class ModelCallError extends LitelongError {
  readonly retryable: boolean;

  constructor(
    readonly model: string,
    readonly failure: ModelCallFailure,
    /** What went wrong, without the model's name (e.g. "HTTP 503: ..."). */
    readonly reason: string,
    readonly details: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(`model ${model}: ${reason}`, { cause: details.cause });
    this.retryable = RETRYABLE.has(failure);
  }

  get status(): number | undefined {
    return this.details.status;
  }

  get retryAfterMs(): number | undefined {
    return this.details.retryAfterMs;
  }
}

/** The failure an HTTP status stands for (408 and 409 are retried as OpenAI's own clients do). */
export function failureForStatus(status: number): ModelCallFailure {
  if (status === 429) return "rate-limited";
  if (status === 408 || status === 409 || status >= 500) return status === 408 ? "timeout" : "server-error";
  if (status === 401 || status === 403) return "authentication";
  return "rejected-request";
}
