/** The slice of pino the core uses; `child` adds correlation fields (turn id, job id, request id). */
export interface Logger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  debug(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/**
 * A logger that can make another logger current for a piece of work (a turn, a job): lines logged
 * through it during that work, including what the work leaves running, carry that logger's ids.
 */
export interface ScopedLogger extends Logger {
  within<T>(logger: Logger, work: () => T): T;
}
