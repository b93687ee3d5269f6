import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** A chat-completions request body as the server received it. */
export interface ChatRequestBody {
  model: string;
  messages: Array<{ role: string; content: string }>;
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  response_format?: { type: string; json_schema?: { name: string; schema: unknown; strict?: boolean } };
  [key: string]: unknown;
}

/** Faults either endpoint can be scripted to answer with. */
export type ScriptedFault =
  /** Answer with this status, headers and raw body. */
  | { status: number; headers?: Record<string, string>; body?: string }
  /** Never answer (the client must time out). */
  | { hang: true }
  /** Close the connection without a reply. */
  | { reset: true };

/** What the server does with one chat request. */
export type ScriptedReply =
  /** Answer 200 with this assistant content. */
  | { content: string; finishReason?: string; delayMs?: number }
  | ScriptedFault
  /** Promise a full body with this content, send half of it, then close. */
  | { truncate: string };

/** An embeddings request body as the server received it. */
export interface EmbeddingRequestBody {
  model: string;
  input: string[] | string;
  encoding_format?: string;
  [key: string]: unknown;
}

/** What the server does with one embeddings request. */
export type EmbeddingReply =
  /** Answer 200 with these vectors (default: hashedEmbedding of each input), in reverse order of `index` when `reversed`. */
  | { vectors?: number[][]; reversed?: boolean; delayMs?: number }
  | ScriptedFault
  /** Promise the full answer, send half of it, then close. */
  | { truncate: true };

export type EmbeddingScript = (body: EmbeddingRequestBody, request: { index: number; model: string }) => EmbeddingReply | Promise<EmbeddingReply>;

/** An embeddings request as the server received it. */
export interface RecordedEmbeddingRequest {
  /** 0-based order of arrival among embeddings requests. */
  index: number;
  model: string;
  body: EmbeddingRequestBody;
  authorization: string | undefined;
  outcome: number | "hang" | "reset" | "truncate";
}

export interface RecordedRequest {
  /** 0-based order of arrival. */
  index: number;
  model: string;
  body: ChatRequestBody;
  authorization: string | undefined;
  /** What the server did: the HTTP status sent, or "hang" / "reset" / "truncate". */
  outcome: number | "hang" | "reset" | "truncate";
}

export type ChatScript = (body: ChatRequestBody, request: { index: number; model: string }) => ScriptedReply | Promise<ScriptedReply>;

/**
 * A small OpenAI-compatible server on loopback for tests and benchmarks: chat completions and
 * embeddings over real HTTP in the real wire format, replies scripted per request, and faults
 * on demand. Records every request, and the most requests it ever had in flight per model.
 */
export class ChatTestServer {
  readonly requests: RecordedRequest[] = [];
  readonly embeddingRequests: RecordedEmbeddingRequest[] = [];
  readonly maxInFlight = new Map<string, number>();
  /** Answers /embeddings requests; by default every input's hashedEmbedding. */
  embeddingScript: EmbeddingScript = () => ({});
  private readonly inFlight = new Map<string, number>();
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    public script: ChatScript,
  ) {
    server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    server.on("request", (request, response) => void this.handle(request, response));
  }

  static async start(script: ChatScript): Promise<ChatTestServer> {
    const server = createServer({ keepAliveTimeout: 60_000 });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return new ChatTestServer(server, script);
  }

  /** Base URL as a client configures it, e.g. http://127.0.0.1:PORT/v1 */
  get baseURL(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  /** Requests answered with 200. */
  answered(): RecordedRequest[] {
    return this.requests.filter((request) => request.outcome === 200);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const endpoint = request.method === "POST" ? ["/chat/completions", "/embeddings"].find((path) => request.url?.endsWith(path)) : undefined;
    if (!endpoint) {
      response.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "not found" } }));
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as ChatRequestBody & EmbeddingRequestBody;
    const inFlight = (this.inFlight.get(body.model) ?? 0) + 1;
    this.inFlight.set(body.model, inFlight);
    this.maxInFlight.set(body.model, Math.max(this.maxInFlight.get(body.model) ?? 0, inFlight));
    response.on("close", () => this.inFlight.set(body.model, (this.inFlight.get(body.model) ?? 1) - 1));
    if (endpoint === "/embeddings") {
      const recorded: RecordedEmbeddingRequest = { index: this.embeddingRequests.length, model: body.model, body, authorization: request.headers.authorization, outcome: 200 };
      this.embeddingRequests.push(recorded);
      this.sendEmbeddings(await this.embeddingScript(body, { index: recorded.index, model: body.model }), body, recorded, response);
      return;
    }
    const recorded: RecordedRequest = { index: this.requests.length, model: body.model, body, authorization: request.headers.authorization, outcome: 200 };
    this.requests.push(recorded);
    const reply = await this.script(body, { index: recorded.index, model: body.model });
    if ("truncate" in reply) sendTruncated(completionBody(body.model, reply.truncate, "stop"), recorded, response);
    else if (!sentFault(reply, recorded, response)) sendLater(completionBody(body.model, reply.content, reply.finishReason ?? "stop"), reply.delayMs, response);
  }

  private sendEmbeddings(reply: EmbeddingReply, body: EmbeddingRequestBody, recorded: RecordedEmbeddingRequest, response: ServerResponse): void {
    if (sentFault(reply, recorded, response)) return;
    const inputs = typeof body.input === "string" ? [body.input] : body.input;
    const answer = "truncate" in reply ? {} : reply;
    const full = embeddingsBody(body.model, answer.vectors ?? inputs.map((input) => hashedEmbedding(input)), answer.reversed ?? false, inputs);
    if ("truncate" in reply) sendTruncated(full, recorded, response);
    else sendLater(full, answer.delayMs, response);
  }
}

/** Sends `reply` when it is a fault (and records it); false when it is an answer. */
function sentFault<Answer extends object>(reply: Answer | ScriptedFault, recorded: { outcome: number | "hang" | "reset" | "truncate" }, response: ServerResponse): reply is ScriptedFault {
  if ("hang" in reply) {
    recorded.outcome = "hang";
    return true;
  }
  if ("reset" in reply) {
    recorded.outcome = "reset";
    response.socket?.destroy();
    return true;
  }
  if ("status" in reply) {
    recorded.outcome = reply.status;
    response.writeHead(reply.status, { "content-type": "application/json", ...reply.headers }).end(reply.body ?? JSON.stringify({ error: { message: `scripted ${reply.status}` } }));
    return true;
  }
  return false;
}

/** Promises the full body, sends half of it, then closes the connection. */
function sendTruncated(full: string, recorded: { outcome: number | "hang" | "reset" | "truncate" }, response: ServerResponse): void {
  recorded.outcome = "truncate";
  response.writeHead(200, { "content-type": "application/json", "content-length": String(Buffer.byteLength(full)) });
  response.write(full.slice(0, Math.floor(full.length / 2)));
  setTimeout(() => response.socket?.destroy(), 5);
}

function sendLater(body: string, delayMs: number | undefined, response: ServerResponse): void {
  const write = () => response.writeHead(200, { "content-type": "application/json" }).end(body);
  if (delayMs) setTimeout(write, delayMs);
  else write();
}

/** Dimensions of hashedEmbedding's vectors. */
export const HASHED_EMBEDDING_DIMENSIONS = 64;

/**
 * A deterministic stand-in for a text's embedding: its lowercased words hashed (FNV-1a) into
 * 64 signed buckets, normalized to length 1, so texts sharing words get similar vectors.
 * A text without words gets the first unit vector.
 */
export function hashedEmbedding(text: string): number[] {
  const vector = new Array<number>(HASHED_EMBEDDING_DIMENSIONS).fill(0);
  for (const [word] of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    let hash = 0x811c9dc5;
    for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), 0x01000193) >>> 0;
    vector[hash % HASHED_EMBEDDING_DIMENSIONS]! += hash & 0x80000000 ? -1 : 1;
  }
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector.map((_, i) => (i === 0 ? 1 : 0)) : vector.map((value) => value / norm);
}

/** An embeddings list JSON body; `prompt_tokens` counts words, which is all tests need. */
export function embeddingsBody(model: string, vectors: number[][], reversed: boolean, inputs: readonly string[]): string {
  const data = vectors.map((embedding, index) => ({ object: "embedding", index, embedding }));
  if (reversed) data.reverse();
  const words = inputs.reduce((sum, input) => sum + input.split(/\s+/).filter(Boolean).length, 0);
  return JSON.stringify({ object: "list", data, model, usage: { prompt_tokens: words, total_tokens: words } });
}

/** A chat.completion JSON body; token counts are word counts, which is all tests need. */
export function completionBody(model: string, content: string, finishReason: string): string {
  const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
  return JSON.stringify({
    id: "chatcmpl-test",
    object: "chat.completion",
    created: 0,
    model,
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: finishReason }],
    usage: { prompt_tokens: 10, completion_tokens: words(content), total_tokens: 10 + words(content) },
  });
}

/** Starts a test server for `script`, runs `body` with it, and always closes it. */
export async function withServer(script: ChatScript, body: (server: ChatTestServer) => Promise<void>): Promise<void> {
  const server = await ChatTestServer.start(script);
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

/** Starts one test server per script, runs `body` with them, and always closes them all. */
export async function withServers(scripts: ChatScript[], body: (servers: ChatTestServer[]) => Promise<void>): Promise<void> {
  const servers = await Promise.all(scripts.map((script) => ChatTestServer.start(script)));
  try {
    await body(servers);
  } finally {
    await Promise.all(servers.map((server) => server.close()));
  }
}

/** A loopback base URL where nothing listens (connections are refused): a server that is down. */
export async function refusedBaseURL(): Promise<string> {
  const server = await ChatTestServer.start(() => ({ status: 500 }));
  const url = server.baseURL;
  await server.close();
  return url;
}
