#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { LitelongError } from "../core/errors.js";
import { escapeControlCharacters } from "../core/terminal-text.js";
import { inspectManifest, inspectSample } from "../pipeline/inspect-run.js";
import { runStages, STAGES_OF, type StageGroup } from "../pipeline/run-pipeline.js";
import { mergeRuns } from "../pipeline/merge/merge-runs.js";
import { verifyRun } from "../pipeline/verify-run.js";
import { VERSIONS } from "../pipeline/versions.js";
import { addRunFlags, resolveRunOptions } from "./cli-options.js";
import { formatManifest, formatStageSummary } from "./format-summary.js";
import { reportAfterRun, reportCommand } from "./report-command.js";
import { enginePlanCommand } from "./engine-command.js";
import { searchCommand } from "./search-command.js";

// Everything printed may quote corpus or model text: never let it reach the terminal as control codes.
const log = (line: string) => process.stderr.write(`litelong: ${escapeControlCharacters(line)}\n`);
const print = (text: string) => process.stdout.write(escapeControlCharacters(text.endsWith("\n") ? text : text + "\n"));

const STAGE_COMMANDS: Array<[StageGroup | "run", string]> = [
  ["run", "run every stage: index the corpus, make topics, retrieve, pack"],
  ["index", "read the corpus and build the BM25 index"],
  ["topics", "select taxonomy subjects and turn them into topics"],
  ["retrieve", "run every topic as a BM25 query"],
  ["pack", "pack each topic's documents into samples of exactly --length tokens"],
];

function buildProgram(): Command {
  const program = new Command("litelong")
    .description("Long-context training data from short documents: topics, BM25 retrieval, exact-token packing.")
    .version(VERSIONS.litelong!)
    .exitOverride()
    .showHelpAfterError();
  for (const [name, description] of STAGE_COMMANDS) {
    const groups = STAGES_OF[name];
    addRunFlags(program.command(name).description(description), groups).action(async (flags: Record<string, unknown>) => {
      const options = await resolveRunOptions(flags);
      const results = await runStages(groups, options, log);
      if (name === "run") log(await reportAfterRun(options.out));
      print(flags.json ? JSON.stringify(results) : formatStageSummary(results));
    });
  }
  program
    .command("search")
    .description("search a run's index: one query, or a TSV file of `qid<TAB>query` lines")
    .argument("[query]", "query text")
    .option("--index <runDir>", "run directory holding the index (required)")
    .option("--queries <file.tsv>", "batch of queries")
    .option("-k, --k <n>", "hits per query (default 10)")
    .option("--format <format>", "json (one line per query) or trec run lines (default json)")
    .option("--match <mode>", "any (default) or all query terms")
    .option("--min-should-match <n>", "with --match any: hits contain at least n distinct query terms (default 1)")
    .option("--k1 <x>", "BM25 k1 (default 0.9)")
    .option("--b <x>", "BM25 b (default 0.4)")
    .action(async (query: string | undefined, flags: Record<string, unknown>) => {
      print((await searchCommand(query, flags)).join("\n"));
    });
  const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];
  program
    .command("engine")
    .description("set up a Sphinx 2.2 / Manticore cluster as the search engine")
    .command("plan")
    .description("write sphinx.conf and Manticore CREATE TABLE statements for N local shards and remote agents")
    .option("--out <directory>", "where to write the files (required)")
    .option("--table <name>", "distributed table name (default litelong)")
    .option("--listen <host:sqlPort:apiPort>", "the main host (default 127.0.0.1:9306:9312)")
    .option("--shards <n>", "real-time shards on the main host (default 2)")
    .option("--agent <host:sqlPort:apiPort:shards>", "a remote agent host; repeatable", collect)
    .option("--data-dir <path>", "index directory on every host (default /var/lib/litelong-search)")
    .option("--stopwords <list>", "lucene or none (default lucene)")
    .option("--stemmer <name>", "porter or none (default porter)")
    .action(async (flags: Record<string, unknown>) => {
      print((await enginePlanCommand(flags)).join("\n"));
    });
  program
    .command("merge")
    .description("join the run directories of every --shard i/N of one run into <out>, equal to the run made without --shard")
    .argument("<out>", "the merged run directory (new, or empty)")
    .argument("<shardRuns...>", "the run directory of each shard, in any order")
    .action(async (out: string, shardRuns: string[]) => {
      const summary = await mergeRuns(out, shardRuns);
      print(`merged ${summary.shards} shards into ${summary.out}: ${summary.topics} topics, ${summary.samples} samples (joined: ${summary.merged.join(", ")})`);
    });
  program
    .command("verify")
    .description("re-read every sample: exact token length, checksums, topic and document provenance")
    .argument("<runDir>")
    .action(async (runDirectory: string) => {
      const report = await verifyRun(runDirectory);
      for (const violation of report.violations) print(`${violation.where}: ${violation.problem}`);
      print(`${report.samples} samples, ${report.tokens} tokens, ${report.violations.length} violations`);
      if (report.violations.length > 0) process.exitCode = 1;
    });
  program
    .command("inspect")
    .description("show a run's manifest summary, or one sample with its topic and documents")
    .argument("<runDir>")
    .option("--sample <id>", "sample id")
    .option("--json", "print JSON")
    .action(async (runDirectory: string, flags: { sample?: string; json?: boolean }) => {
      if (flags.sample) {
        print(JSON.stringify(await inspectSample(runDirectory, flags.sample), null, 2));
        return;
      }
      const manifest = await inspectManifest(runDirectory);
      print(flags.json ? JSON.stringify(manifest, null, 2) : formatManifest(manifest));
    });
  program
    .command("report")
    .description("write a run's HTML report (plots, drop reasons, sample browser), or its statistics as JSON")
    .argument("<runDir>")
    .option("--out <file>", "where to write the page (default <runDir>/report.html)")
    .option("--json", "print the statistics as JSON instead of writing the page")
    .option("--sample-text <characters>", "sample text embedded in the page (default 6000000; 0 = ids only)")
    .action(async (runDirectory: string, flags: { out?: string; json?: boolean; sampleText?: string }) => {
      print(await reportCommand(runDirectory, flags));
    });
  return program;
}

/** Runs the CLI; only this function decides exit codes. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof LitelongError) {
      log(`error: ${error.message}`);
      return error.exitCode;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv);
