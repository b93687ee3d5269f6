import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { ConfigError } from "../core/errors.js";
import { analysisOptionsSchema } from "../search/analyzer.js";
import { clusterLayoutSchema, layoutEngineUrl, manticoreStatements, sphinxConf, stopwordsFileText, type SearchdHost } from "../search/sphinx-cluster-layout.js";

const planFlagsSchema = z.strictObject({
  out: z.string({ error: "required; pass --out <directory>" }).min(1),
  table: z.string().default("litelong"),
  listen: z.string().default("127.0.0.1:9306:9312"),
  shards: z.number().int().min(1).default(2),
  agents: z.array(z.string()).default([]),
  dataDir: z.string().min(1).default("/var/lib/litelong-search"),
  analysis: analysisOptionsSchema,
});

/** "host:sqlPort:apiPort" (+ ":shards" for agents) into a host entry. */
function parseHost(value: string, shards: number | undefined, dataDirectory: string, flag: string): SearchdHost {
  const parts = value.split(":");
  const expected = shards === undefined ? 4 : 3;
  if (parts.length !== expected) throw new ConfigError([`${flag}: "${value}" is not host:sqlPort:apiPort${shards === undefined ? ":shards" : ""}`]);
  return { host: parts[0]!, sqlPort: Number(parts[1]), apiPort: Number(parts[2]), shards: shards ?? Number(parts[3]), dataDirectory };
}

/**
 * `litelong engine plan`: writes, for a layout of N local real-time shards behind a distributed
 * table plus remote agents, each host's Sphinx 2.2 sphinx.conf and Manticore CREATE TABLE
 * statements, the stopwords file, and prints the `--engine` address to index and retrieve with.
 */
export async function enginePlanCommand(flags: Record<string, unknown>): Promise<string[]> {
  const parsed = planFlagsSchema.safeParse({
    out: flags.out,
    table: flags.table,
    listen: flags.listen,
    shards: flags.shards === undefined ? undefined : Number(flags.shards),
    agents: flags.agent,
    dataDir: flags.dataDir,
    analysis: { stopwords: flags.stopwords, stemmer: flags.stemmer },
  });
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  const options = parsed.data;
  const hosts = [parseHost(options.listen, options.shards, options.dataDir, "--listen"), ...options.agents.map((agent) => parseHost(agent, undefined, options.dataDir, "--agent"))];
  const layout = clusterLayoutSchema.safeParse({ table: options.table, hosts });
  if (!layout.success) throw new ConfigError(layout.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  await mkdir(options.out, { recursive: true });
  const written: string[] = [];
  const write = async (name: string, text: string) => {
    await writeFile(join(options.out, name), text);
    written.push(join(options.out, name));
  };
  for (let index = 0; index < hosts.length; index++) {
    await write(`sphinx-host${index}.conf`, sphinxConf(layout.data, index, options.analysis));
    await write(`manticore-host${index}.sql`, manticoreStatements(layout.data, index, options.analysis));
  }
  await write("stopwords.txt", stopwordsFileText(options.analysis));
  await write("layout.json", JSON.stringify(layout.data, null, 2) + "\n");
  return [
    ...written.map((path) => `wrote ${path}`),
    `copy stopwords.txt to ${options.dataDir}/ on every host, start searchd -c sphinx-host<i>.conf (agents first), then:`,
    `--engine ${layoutEngineUrl(layout.data)}`,
  ];
}
