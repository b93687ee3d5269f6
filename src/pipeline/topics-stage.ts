import { fileDigest } from "../core/file-digest.js";
import { readAllJsonLines, writeJsonLines } from "../core/jsonl-file.js";
import { subjectSchema } from "../core/record-schemas.js";
import { hashValue } from "../core/stable-json.js";
import { headingTopics } from "./heading-topics.js";
import type { RunOptions } from "./run-options.js";
import { runStage, type StageContext, type StageOutcome, type StageResult } from "./stage-runner.js";
import { readTopicsFile } from "./topics-file.js";

/** Turns the selected subjects (or a topics file) into topics/topics.jsonl. */
export async function runTopicsStage(context: StageContext, options: Pick<RunOptions, "topics">): Promise<StageResult> {
  const { run } = context;
  const taxonomy = await run.requireStage("taxonomy", "topics");
  const source = options.topics ? { file: await fileDigest(options.topics) } : { headings: taxonomy.fingerprint };
  return runStage(context, "topics", { topics: options.topics ?? "headings" }, hashValue(source), [run.topicsPath], async (): Promise<StageOutcome> => {
    if (options.topics) {
      const topics = await readTopicsFile(options.topics);
      await writeJsonLines(run.topicsPath, topics);
      return { counts: { topics: topics.length }, facts: { topicSource: "file" } };
    }
    const subjects = await readAllJsonLines(run.subjectsPath, subjectSchema);
    const { topics, duplicates } = headingTopics(subjects);
    await writeJsonLines(run.topicsPath, topics);
    return { counts: { topics: topics.length, duplicateHeadingQueries: duplicates }, facts: { topicSource: "headings" } };
  });
}
