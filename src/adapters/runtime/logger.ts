import pino from "pino";
import type { Logger } from "../../ports/logger";

/** Structured JSON logs on stdout; each turn or job gets a child logger with its correlation ids. */
export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { service: "access-desk", ...bindings } }) as unknown as Logger;
}

/** A logger that drops everything: for tests that do not look at logs. */
export const silentLogger: Logger = createLogger("silent");
