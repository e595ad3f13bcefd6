import type { ScopedLogger } from "../../src/ports/logger";

export interface LogLine {
  level: "info" | "warn" | "error" | "debug";
  obj: object | string;
  msg?: string;
}

/** A logger that keeps what it is told, for asserting what reached the log. */
export function recordingLogger(lines: LogLine[] = []): ScopedLogger & { lines: LogLine[] } {
  const at =
    (level: LogLine["level"]) =>
    (obj: object | string, msg?: string): void => {
      lines.push({ level, obj, msg });
    };
  const logger = {
    lines,
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    debug: at("debug"),
    child: () => logger,
    within: <T>(_logger: unknown, work: () => T): T => work(),
  };
  return logger;
}

/** A Bot Framework activity with everything the endpoint checks. */
export const validActivity = (patch: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: "message",
  id: "act-1",
  text: "hello",
  serviceUrl: "http://127.0.0.1:9/connector",
  channelId: "msteams",
  conversation: { id: "conv-1" },
  from: { id: "29:alice", aadObjectId: "alice" },
  recipient: { id: "28:bot" },
  ...patch,
});
