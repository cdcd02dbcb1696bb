/**
 * Structured JSON logs, one object per line on stderr: `{time, level, msg, ...fields}`. Callers pass
 * identifiers (app, env, revision, subject), never objects or credentials.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  log(level: LogLevel, msg: string, fields?: LogFields): void;
  with(fields: LogFields): Logger;
}

export function jsonLogger(minLevel: LogLevel = 'info', base: LogFields = {}, write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  return {
    log(level, msg, fields = {}) {
      if (ORDER[level] < ORDER[minLevel]) return;
      write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...base, ...fields }) + '\n');
    },
    with(fields) {
      return jsonLogger(minLevel, { ...base, ...fields }, write);
    },
  };
}

/** A logger that drops everything (tests, benchmarks). */
export const silentLogger: Logger = {
  log() {},
  with() {
    return silentLogger;
  },
};
