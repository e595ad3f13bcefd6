/** The time, from outside the domain; tests drive a fixed or adjustable clock. */
export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** A new unique id, e.g. "req_01HF..." for prefix "req". Safe in table keys. */
  next(prefix: string): string;
}
