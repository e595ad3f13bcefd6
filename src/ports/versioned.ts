/** A stored value with the ETag it was read at: updates are compare-and-swap on it. */
export interface Versioned<T> {
  value: T;
  etag: string;
}

/** The entity changed since it was read (a 412 on the ETag): reload and decide again. */
export class ConcurrencyError extends Error {
  readonly code = "CONCURRENCY.CONFLICT";
  constructor(what: string) {
    super(`${what} was changed by someone else; reload and try again`);
    this.name = "ConcurrencyError";
  }
}

/** An entity with this key already exists (a 409 on create). */
export class AlreadyExistsError extends Error {
  readonly code = "STORE.ALREADY_EXISTS";
  constructor(what: string) {
    super(`${what} already exists`);
    this.name = "AlreadyExistsError";
  }
}
