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

/** What the server does with one request. */
export type ScriptedReply =
  /** Answer 200 with this assistant content. */
  | { content: string; finishReason?: string; delayMs?: number }
  /** Answer with this status, headers and raw body. */
  | { status: number; headers?: Record<string, string>; body?: string }
  /** Never answer (the client must time out). */
  | { hang: true }
  /** Close the connection without a reply. */
  | { reset: true }
  /** Promise a full body, send half of it, then close. */
  | { truncate: string };

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
 * A small OpenAI-compatible chat-completions server on loopback for tests and benchmarks:
 * real HTTP, the real wire format, replies scripted per request, and faults on demand.
 * Records every request, and the most requests it ever had in flight per model.
 */
export class ChatTestServer {
  readonly requests: RecordedRequest[] = [];
  readonly maxInFlight = new Map<string, number>();
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
    if (request.method !== "POST" || !request.url?.endsWith("/chat/completions")) {
      response.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "not found" } }));
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as ChatRequestBody;
    const recorded: RecordedRequest = { index: this.requests.length, model: body.model, body, authorization: request.headers.authorization, outcome: 200 };
    this.requests.push(recorded);
    const inFlight = (this.inFlight.get(body.model) ?? 0) + 1;
    this.inFlight.set(body.model, inFlight);
    this.maxInFlight.set(body.model, Math.max(this.maxInFlight.get(body.model) ?? 0, inFlight));
    response.on("close", () => this.inFlight.set(body.model, (this.inFlight.get(body.model) ?? 1) - 1));
    const reply = await this.script(body, { index: recorded.index, model: body.model });
    this.send(reply, body, recorded, response);
  }

  private send(reply: ScriptedReply, body: ChatRequestBody, recorded: RecordedRequest, response: ServerResponse): void {
    if ("hang" in reply) {
      recorded.outcome = "hang";
      return;
    }
    if ("reset" in reply) {
      recorded.outcome = "reset";
      response.socket?.destroy();
      return;
    }
    if ("truncate" in reply) {
      recorded.outcome = "truncate";
      const full = completionBody(body.model, reply.truncate, "stop");
      response.writeHead(200, { "content-type": "application/json", "content-length": String(Buffer.byteLength(full)) });
      response.write(full.slice(0, Math.floor(full.length / 2)));
      setTimeout(() => response.socket?.destroy(), 5);
      return;
    }
    if ("status" in reply) {
      recorded.outcome = reply.status;
      response.writeHead(reply.status, { "content-type": "application/json", ...reply.headers }).end(reply.body ?? JSON.stringify({ error: { message: `scripted ${reply.status}` } }));
      return;
    }
    const write = () => response.writeHead(200, { "content-type": "application/json" }).end(completionBody(body.model, reply.content, reply.finishReason ?? "stop"));
    if (reply.delayMs) setTimeout(write, reply.delayMs);
    else write();
  }
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
