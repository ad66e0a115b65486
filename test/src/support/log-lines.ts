/** One JSON log line a process wrote (pino). */
export type LogLine = Record<string, unknown>;

/** The JSON log lines in a process's output, skipping anything else it printed. */
export const parseLines = (text: string): LogLine[] =>
  text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
