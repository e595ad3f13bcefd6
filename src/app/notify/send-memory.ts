import type { DomainEvent } from "../../domain/model";
import type { EffectBatch } from "../../ports/events";
import { Dispatch } from "./dispatch";
import { UnrecordedSends } from "./look-before-resend";
import { SendsInFlight } from "./sends-in-flight";
import { SentUpdates } from "./sent-updates";
import type { NotificationSinkOptions } from "./sink-options";

/**
 * What this process remembers across batches about its own sends (the content each card's copies
 * were last updated with, sends out whose log row failed, sends still in flight), and the dispatch
 * of one batch run that uses it.
 */
export class SendMemory {
  private readonly sentUpdates = new SentUpdates();
  private readonly unrecorded = new UnrecordedSends();
  private readonly inFlight = new SendsInFlight();

  dispatch(
    options: NotificationSinkOptions,
    run: { events: DomainEvent[]; batch?: EffectBatch; done: ReadonlySet<string>; replaying: boolean },
  ): Dispatch {
    const { notifier, deliveries, logger, sources } = options;
    const d = new Dispatch({
      notifier,
      deliveries,
      logger,
      now: () => sources.clock.now().toISOString(),
      ...(run.batch ? { batch: run.batch } : {}),
      done: run.done,
      replaying: run.replaying,
      sentUpdates: this.sentUpdates,
      // Only a batch run again looks before posting: the first run costs nothing more.
      look: { finder: options.sentMessages, conversations: sources.conversations, logger },
      unrecorded: this.unrecorded,
      inFlight: this.inFlight,
    });
    d.approvedInBatch = new Set(
      run.events.flatMap((e) =>
        e.type === "RequestApproved" || e.type === "RequestScheduled" ? [e.requestId] : [],
      ),
    );
    return d;
  }
}
