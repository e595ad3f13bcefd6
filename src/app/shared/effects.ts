import type { AppDeps } from "../deps";
import type {
  AccessRequest,
  Assignment,
  AuditAction,
  AuditEntry,
  Deadline,
  DomainEvent,
  UserId,
} from "../../domain/model";
import type { SavedState } from "../../ports/events";
import { nowIso } from "./context";
import { appendRefusal } from "../audit/refusals";
import { addMs } from "../../domain/time";
import { type EffectBatch, type JournaledRow, newBatch, savedSubject, subjectOf, withBatch } from "./journal";
import { planExtensionCalls } from "../extensions/plan";
import { actorOf, auditOf } from "./event-audit";

/** Who did it, from where, about whom: the facts every audit row of one use-case call shares. */
export interface ActionContext {
  actor: UserId | "system";
  source: string;
  targetUserId?: UserId;
  packageId?: string;
}

/**
 * Audit rows for the events that change or decide access. Rows of a journaled batch take their ids
 * and time from the batch, so writing them again after a crash keeps one copy.
 */
export function auditEntries(
  deps: AppDeps,
  events: DomainEvent[],
  ctx: ActionContext,
  batch?: Pick<EffectBatch, "id" | "at">,
): AuditEntry[] {
  const at = batch?.at ?? nowIso(deps);
  return events.flatMap((event, i) => {
    const row = auditOf(event);
    if (!row) return [];
    const actor = event.type === "RequestDenied" ? event.by : ctx.actor;
    const id = batch ? `${batch.id}-${i}` : deps.ids.next("aud");
    const entry: AuditEntry = { id, at, actor, source: ctx.source, ...row };
    if (ctx.targetUserId) entry.targetUserId = ctx.targetUserId;
    if (ctx.packageId) entry.packageId = ctx.packageId;
    return [entry];
  });
}

/** A row for a fact no event carries (a resource granted, a review completed): new id, current time. */
export function auditRow(deps: AppDeps, entry: Omit<AuditEntry, "id" | "at">): AuditEntry {
  return { id: deps.ids.next("aud"), at: nowIso(deps), ...entry };
}

/**
 * Events no audit row, notice or extension call follows from: a step with only these has nothing to
 * journal (its journal item would be written and removed for nothing). Take an event out of this
 * list as soon as anything acts on it.
 */
const PROMISE_NOTHING: ReadonlySet<DomainEvent["type"]> = new Set(["DeliveryStarted"]);

/** A step that may carry the journaled batch of its effects (set by `scheduleFirst`). */
export type JournaledStep<S> = S & { batch?: EffectBatch };

/**
 * Deadlines and the journal of the step's effects go into the due index before the state that
 * needs them is saved, and the state names the batch. A crash in between leaves a deadline whose
 * handler finds nothing to do (handlers reload and check) and a batch that was never saved (its
 * handler checks the entity), never a saved request or assignment that nothing will come back to,
 * nor a saved decision whose notices and audit rows are lost. Returns the step without deadlines,
 * so `applyEffects` does not write them again.
 */
export async function scheduleFirst<
  S extends { deadlines: Deadline[]; events?: DomainEvent[]; next?: unknown },
>(
  deps: AppDeps,
  step: S,
  /** Audit rows of the step no event carries, journaled with the batch (ids and time from it). */
  rows: JournaledRow[] = [],
): Promise<JournaledStep<S>> {
  const ahead = journalAhead(deps, step, rows);
  await ahead.written;
  return ahead.step;
}

/** A journaled step whose deadlines and batch are on their way into the due index. */
export interface JournalAhead<S> {
  step: JournaledStep<S>;
  /** Settles once they are written; the state that names the batch is saved only after that. */
  written: Promise<void>;
}

/**
 * `scheduleFirst` without waiting: the save that must follow the journal can do its own writes
 * ahead of the compare-and-swap (a request's new index rows) beside it, and wait for both before
 * the swap (`RequestStore.update`'s `after`).
 */
export function journalAhead<S extends { deadlines: Deadline[]; events?: DomainEvent[]; next?: unknown }>(
  deps: AppDeps,
  step: S,
  rows: JournaledRow[] = [],
): JournalAhead<S> {
  const events = step.events ?? [];
  const promising = events.some((e) => !PROMISE_NOTHING.has(e.type));
  const subject = promising || rows.length > 0 ? subjectOf(step.next) : undefined;
  const batch = subject ? newBatch(deps, subject, events, rows) : undefined;
  const items = batch ? [...step.deadlines, batch.item] : step.deadlines;
  const written = items.length > 0 ? deps.due.schedule(items) : Promise.resolve();
  // Whoever saves awaits it; until then a failure must not count as unhandled (it would end the
  // process) while the save's own writes are still on their way.
  written.catch(() => undefined);
  if (!batch) return { step: { ...step, deadlines: [] }, written };
  return { step: { ...step, deadlines: [], next: withBatch(step.next, batch), batch }, written };
}

/**
 * After a save: deadlines into the due index and rows into the audit trail (independent stores,
 * written side by side), then events to the sink. `extraRows` are further audit rows of the same
 * step, appended in the same call.
 */
export async function applyEffects(
  deps: AppDeps,
  step: { events: DomainEvent[]; deadlines: Deadline[]; batch?: EffectBatch; next?: unknown },
  ctx: ActionContext,
  extraRows: (rows: AuditEntry[]) => AuditEntry[] = () => [],
  /**
   * `savedLast`: the caller saved nothing after `step.next`, so the sink may render it instead of
   * reading it back. Not for a use case that saves again before its effects (a removal's revokes).
   */
  options: { savedLast?: boolean } = {},
): Promise<void> {
  const stepRows = auditEntries(deps, step.events, ctx, step.batch);
  const extra = extraRows(stepRows);
  const rows = [...stepRows, ...extra];
  // A journaled step's rows may follow its answer when the journal holds every one of them (its
  // events' rows, and extra rows only if they are the batch's own): the sink keeps the batch due
  // until they are written, and a replay writes what is missing.
  const journaled = step.batch?.rows ?? [];
  const later =
    deps.auditAfterAnswer === true &&
    step.batch !== undefined &&
    step.events.length > 0 &&
    extra.every((row) => journaled.includes(row));
  // ... and they start once the click is answered: its CPU and storage go to the answer first.
  const writing =
    rows.length > 0 && later
      ? (deps.answersFirst?.idle() ?? Promise.resolve()).then(() => deps.audit.append(rows))
      : undefined;
  await Promise.all([
    step.deadlines.length > 0 ? deps.due.schedule(step.deadlines) : undefined,
    rows.length > 0 && !later ? deps.audit.append(rows) : undefined,
  ]);
  // Custom extension calls go into the outbox before the batch's journal item can be removed.
  await planExtensionCalls(deps, step.events, step.batch);
  // A journaled batch's item is removed by the sink once every notice of it is out; a batch of
  // rows alone is done once they are written.
  if (step.events.length > 0)
    await deps.events.publish(
      step.events,
      step.batch,
      options.savedLast ? savedState(step) : undefined,
      writing,
    );
  else if (step.batch) await deps.due.remove([step.batch.item]);
}

/**
 * The state the step saved, when it is the one that names the step's batch (a request or an
 * assignment) and the caller saved nothing since: the sink may render it instead of reading it back.
 */
function savedState(step: { batch?: EffectBatch; next?: unknown }): SavedState | undefined {
  const { batch, next } = step;
  const subject = batch && subjectOf(next);
  if (!subject || subject.id !== batch.subject.id || subject.kind !== batch.subject.kind) return undefined;
  const named = (next as { effectBatchIds?: string[] }).effectBatchIds?.includes(batch.id);
  if (!named) return undefined;
  if (subject.kind === "request") return { kind: "request", value: next as AccessRequest };
  if (subject.kind === "assignment") return { kind: "assignment", value: next as Assignment };
  return undefined;
}

/**
 * Runs a journaled batch whose process may have died, if its transition was saved: the audit rows
 * (ids and time from the batch, so one copy; the actor from the event where it names one) and the
 * notices (the delivery log skips what went out).
 */
export async function rerunEffects(deps: AppDeps, batch: EffectBatch): Promise<void> {
  const subject = await savedSubject(deps, batch);
  if (!subject) return;
  const source = "effects-recovery";
  const rows = [
    ...batch.events.flatMap((event, i) =>
      auditEntries(deps, [event], { actor: actorOf(event) ?? "system", source, ...subject }, batch).map(
        (row) => ({
          ...row,
          id: `${batch.id}-${i}`,
        }),
      ),
    ),
    ...(batch.rows ?? []),
  ];
  if (rows.length > 0) {
    // Rows the first run wrote keep their actor and source: only missing ones are added.
    const written = await deps.audit.query({ from: batch.at, to: addMs(batch.at, 1), limit: 1000 });
    const have = new Set(written.map((e) => e.id));
    const missing = rows.filter((row) => !have.has(row.id));
    if (missing.length > 0) await deps.audit.append(missing);
  }
  await planExtensionCalls(deps, batch.events, batch);
  await deps.events.replay(batch);
}
/** Audits a refused attempt (a card click or command the rules turned down). */
export async function auditRefusal(
  deps: AppDeps,
  ctx: ActionContext & { subject: string; code: string; message: string; action?: AuditAction },
): Promise<void> {
  const entry: AuditEntry = {
    id: deps.ids.next("aud"),
    at: nowIso(deps),
    actor: ctx.actor,
    action: ctx.action ?? "cardAction.refused",
    subject: ctx.subject,
    source: ctx.source,
    reason: ctx.message,
    details: { code: ctx.code },
  };
  if (ctx.targetUserId) entry.targetUserId = ctx.targetUserId;
  if (ctx.packageId) entry.packageId = ctx.packageId;
  // Limited per person and cut to size: forged clicks cannot flood storage.
  await appendRefusal(deps.audit, entry, deps.clock.now().getTime());
}
