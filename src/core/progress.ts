import cliProgress from "cli-progress";

/** A long piece of work reporting how far it got. */
export interface Progress {
  /** Adds `amount` units of done work. */
  advance(amount?: number): void;
  /** Sets the amount of done work. */
  update(done: number): void;
  stop(): void;
}

export interface ProgressOptions {
  label: string;
  total: number;
  /** Unit shown after the counts ("docs", "MB"...). */
  unit: string;
  /** Where bars go; progress is only drawn when this is a TTY. */
  stream?: NodeJS.WriteStream;
}

const SILENT: Progress = { advance() {}, update() {}, stop() {} };

/**
 * A progress bar with count, rate and ETA on a terminal; nothing at all otherwise, so piped
 * output stays parseable.
 */
export function startProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  if (!stream.isTTY) return SILENT;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${options.label.padEnd(10)} [{bar}] {value}/{total} ${options.unit} | {rate}/s | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const startedAt = Date.now();
  let done = 0;
  bar.start(Math.max(1, Math.round(options.total)), 0, { rate: "0" });
  const render = () => {
    const seconds = Math.max(0.001, (Date.now() - startedAt) / 1000);
    bar.update(Math.round(done), { rate: (done / seconds).toFixed(1) });
  };
  return {
    advance(amount = 1) {
      done += amount;
      render();
    },
    update(value) {
      done = value;
      render();
    },
    stop() {
      bar.stop();
    },
  };
}
