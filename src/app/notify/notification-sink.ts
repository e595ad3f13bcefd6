import type { DomainEvent } from "../../domain/model";
import type { EffectBatch, EventSink, SavedState } from "../../ports/events";
import { ApprovalDigests } from "./approval-digests";
import { BatchPlanner, type NoticeHandlers } from "./batch-planner";
import type { Dispatch, Undeliverable } from "./dispatch";
import { LifecycleNotices } from "./lifecycle-notices";
import { OwnerNotices } from "./owner-notices";
import { PlanningOrder, subjectsOf } from "./planning-order";
import { SendMemory } from "./send-memory";
import { subjects } from "./subjects";
import type { NotificationSinkOptions } from "./sink-options";
import { loggedRefusals, reportUndeliverable } from "./undeliverable";
import { UnreachableTold } from "./unreachable-told";

export { subjects };
export type { NotificationSinkOptions };

/**
 * How soon after its save a batch's planning may render the state the use case saved instead of
 * reading it back: a planning that starts later (a busy queue) reads storage, which may hold a newer
 * state by then.
 */
const SAVED_STATE_FRESH_MS = 1_000;

/** Batches planned at once: enough to overlap their storage reads, few enough to bound a burst's. */
const PLANNING_AT_ONCE = 8;

/**
 * Decides who is told what when a transition is saved: turns domain events into cards, each
 * re-rendered from the stored request or assignment, so a late or repeated event still shows the
 * current state. Publishing only queues: the use case (and a card click) answers without waiting.
 * Batches about different requests (or assignments, reviews) are planned side by side, a request's
 * own in the order they came (see PlanningOrder), and their sends go to each conversation's own
 * queue, so neither a burst's planning nor one slow chat holds up the others. A journaled batch keeps its
 * due item until every send is out or refused for good: a crash or a failed send runs it again.
 */
export class NotificationSink implements EventSink {
  private readonly order = new PlanningOrder(PLANNING_AT_ONCE);
  private readonly running = new Set<Promise<unknown>>();
  private readonly handlers: NoticeHandlers;
  private readonly sends = new SendMemory();
  private readonly told: UnreachableTold;

  constructor(private readonly options: NotificationSinkOptions) {
    const now = () => options.sources.clock.now().getTime();
    this.told = new UnreachableTold(options.deliveries, now, options.logger);
    this.handlers = {
      lifecycle: new LifecycleNotices(options),
      owners: new OwnerNotices(options),
      ...(options.digest && { digests: new ApprovalDigests({ ...options, settings: options.digest }) }),
    };
  }

  async publish(
    events: DomainEvent[],
    batch?: EffectBatch,
    saved?: SavedState,
    writing?: Promise<unknown>,
  ): Promise<void> {
    const known = saved && { saved: structuredClone(saved), at: Date.now() };
    // Handled at once: the rows may fail before the batch's planning is done.
    const written = writing?.then(
      () => true,
      (error: unknown) => {
        this.options.logger.warn(
          { err: error, batch: batch?.id },
          "audit rows not written; the batch runs again",
        );
        return false;
      },
    );
    const run = this.run([...events], batch, new Set(), false, [], known, written).catch((error: unknown) =>
      this.options.logger.error({ err: error, batch: batch?.id }, "notifications failed"),
    );
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  async replay(batch: EffectBatch): Promise<void> {
    const done = await this.options.deliveries.listBatch(batch.id);
    const keys = new Set(done.map((r) => r.key));
    const retry = await this.run(batch.events, batch, keys, true, loggedRefusals(done));
    if (retry) throw new Error(`notifications of ${batch.id} are not all out yet`);
  }

  /** Resolves once every queued notification went out: for tests and a graceful shutdown. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /** Plans the batch after the ones before it about the same things, then waits for its sends; true when it must run again. */
  private async run(
    events: DomainEvent[],
    batch: EffectBatch | undefined,
    done: ReadonlySet<string>,
    replaying = false,
    /** Refusals an earlier run logged: their fallback approvers are checked, and they are audited and told, again. */
    earlier: Undeliverable[] = [],
    /** The state the batch's step saved, and when it was handed over. */
    known?: { saved: SavedState; at: number },
    /** Whether the step's audit rows, written after its answer, are in: the batch stays due until then. */
    written: Promise<boolean> = Promise.resolve(true),
  ) {
    const d = this.sends.dispatch(this.options, { events, batch, done, replaying });
    // A batch waiting for the answers in flight holds no planning slot: the others plan meanwhile.
    const turns = this.options.answersFirst;
    const answered = turns && (() => turns.idle());
    await this.order.run(subjectsOf(events), () => this.plan(events, d, known), answered);
    const sent = await d.settle();
    const options = { ...this.options, told: this.told };
    const untold = await reportUndeliverable(options, {
      refused: d.undeliverable,
      earlier,
      events,
      ...(batch ? { batch } : {}),
      notices: () => this.sends.dispatch(this.options, { events, batch, done, replaying }),
    });
    const retry = sent || !(await written) || untold;
    if (batch && !retry) await this.options.due.remove([batch.item]);
    return retry;
  }

  /** Turns each event of the batch into its sends, rendering the state its step saved while fresh. */
  private async plan(events: DomainEvent[], d: Dispatch, known?: { saved: SavedState; at: number }) {
    const reads = new Map<string, Promise<unknown>>();
    if (known && Date.now() - known.at <= SAVED_STATE_FRESH_MS) {
      const { kind, value } = known.saved;
      reads.set(`${kind}:${value.id}`, Promise.resolve(value));
    }
    const planner = new BatchPlanner(this.options, this.handlers, reads);
    for (const [i, event] of events.entries()) {
      d.forEvent(i);
      try {
        await planner.handle(event, d);
      } catch (error) {
        d.failed(error, event.type);
      }
    }
  }
}
