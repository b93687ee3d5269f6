/**
 * An OpenAI-compatible server answering the debate instantly, in its own process so its work
 * does not count against the pipeline being measured. Prints its base URL, then serves until
 * stdin closes.
 */
import { ChatTestServer } from "../test-support/chat-test-server.js";
import { debateScript } from "../test-support/debate-script.js";

const server = await ChatTestServer.start(debateScript());
// Keep no request log: a long benchmark would otherwise hold every body in memory.
server.requests.push = () => 0;
process.stdout.write(`${server.baseURL}\n`);
process.stdin.resume();
process.stdin.on("end", () => void server.close().then(() => process.exit(0)));
