import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createConnection } from "mysql2/promise";
import type { AnalysisOptions } from "../search/analyzer.js";
import { layoutEngineUrl, sphinxConf, stopwordsFileText, type ClusterLayout } from "../search/sphinx-cluster-layout.js";
import { temporaryDirectory } from "./fixtures.js";

/** Why tests that need Sphinx's searchd cannot run, or false when it is installed. */
export function searchdMissing(): string | false {
  try {
    execFileSync("searchd", ["--help"], { stdio: "ignore" });
    return false;
  } catch (error) {
    // searchd --help exits 1 after printing its usage; only a missing binary is a reason to skip.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "Sphinx searchd is not installed (apt-get install sphinxsearch)";
    return false;
  }
}

/** Two running searchd processes: host 0 with two local shards and the distributed table, host 1 an agent with one. */
export interface SearchdCluster {
  layout: ClusterLayout;
  /** The `--engine` address: the distributed table, loading all three shards. */
  url: string;
  /** searchd's pid per host (read from its pid file). */
  pids: number[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts the two searchd processes in a temporary directory, with configuration from sphinxConf. */
export async function startSearchdCluster(analysis: AnalysisOptions): Promise<SearchdCluster> {
  const root = temporaryDirectory("litelong-searchd-");
  const hosts = [];
  for (let index = 0; index < 2; index++) {
    hosts.push({ host: "127.0.0.1", sqlPort: await freePort(), apiPort: await freePort(), shards: index === 0 ? 2 : 1, dataDirectory: join(root, `host${index}`) });
  }
  const layout: ClusterLayout = { table: "litelong", hosts };
  const configs = hosts.map((host, index) => {
    execFileSync("mkdir", ["-p", host.dataDirectory]);
    writeFileSync(join(host.dataDirectory, "stopwords.txt"), stopwordsFileText(analysis));
    const path = join(host.dataDirectory, "sphinx.conf");
    writeFileSync(path, sphinxConf(layout, index, analysis));
    return path;
  });
  // The agent first, so the distributed table finds it.
  for (const config of [...configs].reverse()) execFileSync("searchd", ["--config", config], { stdio: "ignore" });
  const stop = async () => {
    for (const config of configs) {
      try {
        execFileSync("searchd", ["--config", config, "--stopwait"], { stdio: "ignore" });
      } catch {
        // Already stopped.
      }
    }
  };
  try {
    for (const host of hosts) await waitForSphinxQl(host.sqlPort);
  } catch (error) {
    await stop();
    throw error;
  }
  const pids = hosts.map((host) => Number(execFileSync("cat", [join(host.dataDirectory, "searchd.pid")], { encoding: "utf8" }).trim()));
  return { layout, url: layoutEngineUrl(layout), pids, stop };
}

async function waitForSphinxQl(port: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      const connection = await createConnection({ host: "127.0.0.1", port });
      await connection.end();
      return;
    } catch (error) {
      if (attempt >= 100) throw new Error(`searchd did not accept SphinxQL connections on port ${port}`, { cause: error });
      await sleep(50);
    }
  }
}
