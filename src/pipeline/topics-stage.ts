import { ConfigError } from "../core/errors.js";
import { inputFileDigest } from "../core/file-digest.js";
import { readAllJsonLines, writeJsonLines } from "../core/jsonl-file.js";
import { subjectSchema } from "../core/record-schemas.js";
import { hashValue } from "../core/stable-json.js";
import { headingTopics } from "./heading-topics.js";
import type { RunOptions } from "./run-options.js";
import { runStage, type StageContext, type StageOutcome, type StageResult } from "./stage-runner.js";
import { runDebateTopics } from "./topics/debate-stage.js";
import { readTopicsFile } from "./topics-file.js";
import { dependencyKey } from "./run-directory.js";
import { shardPart } from "./shard.js";

/**
 * Turns the selected subjects into topics/topics.jsonl: by LLM debate when `debate` is
 * configured, from your topics file with `topics`, else one topic per heading.
 */
export async function runTopicsStage(context: StageContext, options: Pick<RunOptions, "topics" | "models" | "debate">): Promise<StageResult> {
  const { run } = context;
  const taxonomy = await run.requireStage("taxonomy", "topics");
  if (options.debate) {
    if (context.shard) throw new ConfigError(["debate: debated topics cannot be made by shards yet (one LLM cache and usage record per run); make them without --shard, then retrieve and pack with --shard"]);
    if (options.topics) throw new ConfigError(["topics and debate are alternatives: give a topics file or a debate configuration, not both"]);
    return runDebateTopics(context, taxonomy, options.models ?? {}, options.debate);
  }
  const source = options.topics ? { file: await inputFileDigest(options.topics, "a topics file (JSONL with text, or one topic per line)") } : { headings: dependencyKey(taxonomy) };
  return runStage(context, "topics", { topics: options.topics ?? "headings" }, hashValue(source), [run.topicsPath], async (): Promise<StageOutcome> => {
    // A shard keeps its part of the whole run's topics, so duplicates are dropped across shards too.
    if (options.topics) {
      const topics = shardPart(await readTopicsFile(options.topics), context.shard, false);
      await writeJsonLines(run.topicsPath, topics);
      return { counts: { topics: topics.length }, facts: { topicSource: "file" } };
    }
    const subjects = await readAllJsonLines(run.subjectsPath, subjectSchema);
    const { topics, duplicates } = headingTopics(subjects);
    const part = shardPart(topics, context.shard, false);
    await writeJsonLines(run.topicsPath, part);
    // Counted on shard 0 only, so the shards' counts add up to the whole run's.
    const duplicateHeadingQueries = (context.shard?.index ?? 0) === 0 ? duplicates : 0;
    return { counts: { topics: part.length, duplicateHeadingQueries }, facts: { topicSource: "headings" } };
  });
}
