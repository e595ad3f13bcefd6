import type { TableClient } from "@azure/data-tables";
import type { TABLES } from "..";

export type TableName = keyof typeof TABLES;

/** What a step reads and writes through: one client per table, and the clock. */
export interface MigrationContext {
  table(name: TableName): TableClient;
  /** Every table, by store name (the step that creates them needs the list). */
  readonly tableNames: readonly TableName[];
  now(): number;
}

/** What the previous layout still holds for one step (reads only). */
export interface StepPending {
  /** Rows (or tables) a run would move (or create). */
  rows: number;
  /** One line per place, e.g. "Audit d|2026-11-20: 12 entries, chained in place". */
  detail: string[];
}

/** What one run of a step did. */
export interface StepResult {
  moved: number;
  /** Rows or places left in the previous layout on purpose; `detail` says why and when they go. */
  left: number;
  detail: string[];
}

/**
 * One layout change: moves rows written by an earlier version into the current layout. A step is
 * idempotent (a second run moves nothing) and resumable (a run cut short and run again ends as one
 * clean run did), and is safe beside running instances.
 */
export interface MigrationStep {
  /** Short and stable: printed, and the name `--step` would take. */
  name: string;
  /** One line: what it moves, from where to where. */
  summary: string;
  pending(ctx: MigrationContext): Promise<StepPending>;
  run(ctx: MigrationContext): Promise<StepResult>;
}
