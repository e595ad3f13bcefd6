import { AsyncLocalStorage } from "node:async_hooks";
import pino from "pino";
import type { Logger, ScopedLogger } from "../../ports/logger";

/** Structured JSON logs on stdout. */
export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { service: "access-desk", ...bindings } }) as unknown as Logger;
}

const current = new AsyncLocalStorage<Logger>();

/**
 * A logger that writes through the logger of the current turn or job when there is one. Use cases
 * log through `deps.logger` without knowing about turns, and their lines (including work that runs
 * after the answer) still carry the turn's correlation ids.
 */
export function contextualLogger(base: Logger): ScopedLogger {
  const pick = (): Logger => current.getStore() ?? base;
  return {
    info: (obj, msg) => pick().info(obj, msg),
    warn: (obj, msg) => pick().warn(obj, msg),
    error: (obj, msg) => pick().error(obj, msg),
    debug: (obj, msg) => pick().debug(obj, msg),
    child: (bindings) => pick().child(bindings),
    within: (logger, work) => current.run(logger, work),
  };
}

/** A logger that drops everything: for tests that do not look at logs. */
export const silentLogger: ScopedLogger = contextualLogger(createLogger("silent"));
