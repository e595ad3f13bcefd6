import type { FoundSend } from "./look-before-resend";

type Outcome = { sent: FoundSend | undefined } | undefined;

/**
 * Journaled sends of this process still waiting for the Bot Connector, by delivery key. A batch
 * run again while its first run's send is still out (the Bot Framework client retries a 5xx for
 * many seconds) waits for that send instead of posting a second copy: it went out, or it failed
 * and this run posts it.
 */
export class SendsInFlight {
  private readonly sends = new Map<string, Promise<Outcome>>();

  /** Runs the send, visible to other runs of the batch until it settles. */
  track<T extends FoundSend | undefined>(deliveryKey: string, send: Promise<T>): Promise<T> {
    const outcome = send.then(
      (sent): Outcome => ({ sent }),
      () => undefined,
    );
    this.sends.set(deliveryKey, outcome);
    void outcome.then(() => {
      if (this.sends.get(deliveryKey) === outcome) this.sends.delete(deliveryKey);
    });
    return send;
  }

  /** The outcome of this key's send in flight: undefined when none is, or it failed. */
  async outcome(deliveryKey: string): Promise<Outcome> {
    return this.sends.get(deliveryKey);
  }
}
