import type { TableClient } from "@azure/data-tables";
import type { Versioned } from "../../ports/versioned";
import { tolerating } from "./errors";
import { jsonColumns, readJsonColumns } from "./json-columns";
import { key } from "./keys";

const ENTITY_ROW = "entity";

/** A version of an aggregate as read, with when its entity was last written (for pruning rows). */
export type ReadVersion<T> = (Versioned<T> & { writtenAt: number }) | undefined;

/**
 * How an aggregate's entity is kept in its partition `e|<id>`: one row by default; reviews spread
 * over a header and item rows (review-rows.ts). ETags are the entity's version.
 */
export interface EntityRows<T> {
  read(id: string): Promise<ReadVersion<T>>;
  /** Fails with status 409 when the id is taken. */
  insert(value: T): Promise<string>;
  /** Compare-and-swap on `etag`: ConcurrencyError (or status 412/404) when it changed. */
  replace(value: T, etag: string): Promise<string>;
}

/** The aggregate's JSON in the one row `entity` of its partition. */
export class SingleRow<T extends { id: string }> implements EntityRows<T> {
  constructor(
    private readonly client: TableClient,
    private readonly kind: string,
  ) {}

  async read(id: string): Promise<ReadVersion<T>> {
    const row = await tolerating([404], () =>
      this.client.getEntity<Record<string, unknown>>(key("e", id), ENTITY_ROW),
    );
    if (!row) return undefined;
    const value = readJsonColumns<T>(row);
    return { value, etag: row.etag, writtenAt: Date.parse(String(row.timestamp ?? "")) };
  }

  async insert(value: T): Promise<string> {
    const entity = { partitionKey: key("e", value.id), rowKey: ENTITY_ROW };
    return (await this.client.createEntity({ ...entity, ...jsonColumns(`${this.kind} ${value.id}`, value) }))
      .etag!;
  }

  async replace(value: T, etag: string): Promise<string> {
    const entity = { partitionKey: key("e", value.id), rowKey: ENTITY_ROW };
    const columns = jsonColumns(`${this.kind} ${value.id}`, value);
    return (await this.client.updateEntity({ ...entity, ...columns }, "Replace", { etag })).etag!;
  }
}
