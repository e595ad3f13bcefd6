import type { TableClient } from "@azure/data-tables";

/** The TableClient methods that write. */
const WRITES = new Set(["createEntity", "upsertEntity", "updateEntity", "deleteEntity", "submitTransaction"]);

/** One write as the wrapped client is about to send it. */
export interface TableWrite {
  /** 1-based, counted over every client sharing the same `WriteHook`. */
  index: number;
  table: string;
  method: string;
  args: unknown[];
}

/**
 * Called before each write; throwing makes the write fail without reaching storage. A function it
 * returns runs once storage has carried the write out; throwing there loses the answer instead.
 */
export type WriteHook = (write: TableWrite) => void | (() => void) | Promise<void | (() => void)>;

/** What the storage service answers when it is unavailable, as the SDK reports it. */
export function serviceUnavailable(): Error {
  return Object.assign(new Error("The server is currently unable to receive requests."), {
    name: "RestError",
    statusCode: 503,
    details: { errorCode: "ServerBusy" },
  });
}

/** Counts the writes of several clients in one sequence and hands each to `hook`. */
export class WriteSequence {
  readonly writes: TableWrite[] = [];
  constructor(private readonly hook: WriteHook = () => undefined) {}

  /** `client` with every write counted here and passed to the hook first; reads pass through. */
  wrap(client: TableClient): TableClient {
    return new Proxy(client, {
      get: (target, property, receiver) => {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        if (typeof property !== "string" || !WRITES.has(property)) return value.bind(target);
        return async (...args: unknown[]) => {
          const write = { index: this.writes.length + 1, table: target.tableName, method: property, args };
          this.writes.push(write);
          const afterwards = await this.hook(write);
          const result: unknown = await (value as (...a: unknown[]) => unknown).apply(target, args);
          if (afterwards) afterwards();
          return result;
        };
      },
    });
  }
}

/** A hook that fails the `n`th write (1-based) with a 503, once. */
export function failWrite(n: number): WriteHook {
  return (write) => {
    if (write.index === n) throw serviceUnavailable();
  };
}
