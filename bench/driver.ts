/** A person in the local chat, as the benchmarks drive one: messages, clicks, and the cards they wait for. */
import { performance } from "node:perf_hooks";
import type { TableStores } from "../src/adapters/tables";
import type { DirectoryUser } from "../src/domain/model";
import type { LocalChannel } from "../src/local-channel";
import { CardWaiter, latestWithAction } from "./cards";
import { STAGE2_APPROVER } from "./fixtures";
import { expectOk } from "./latency";
import { collectGarbage } from "./measure";

/** How long a driver waits for a card or a notice to reach a chat. */
export const CARD_WAIT_MS = 120_000;
/** The notice that ends a lifecycle in the requester's chat. */
const NOTICE = "You now have";

interface Timed {
  start: number;
  end: number;
}

/**
 * Fires every call at once (created in one tick) and returns each one's start and end. The driver
 * collects its own garbage first: its heap holds what the sections before it left, and a pause of
 * its collector inside the timed window would be counted as the bot's time.
 */
export async function together(calls: Array<() => Promise<unknown>>): Promise<Timed[]> {
  collectGarbage();
  const timed = calls.map(async (call) => {
    const start = performance.now();
    await call();
    return { start, end: performance.now() };
  });
  return Promise.all(timed);
}

/** All in flight together: every call started before the first one ended. */
export const overlapped = (t: Timed[]) =>
  Math.max(...t.map((x) => x.start)) < Math.min(...t.map((x) => x.end));

export class Driver {
  readonly waiter: CardWaiter;
  /** When "You now have" reached each requester's chat. */
  readonly noticeAt = new Map<string, number>();
  private readonly off: () => void;

  constructor(
    readonly channel: LocalChannel,
    private readonly stores: TableStores,
  ) {
    this.waiter = new CardWaiter(channel);
    this.off = channel.store.onEvent((e) => {
      if (e.type !== "activity" || (e.kind !== "created" && e.kind !== "updated")) return;
      const userId = channel.store.resolve(e.conversationId)?.userId;
      const activity = channel.store.get(e.activityId)?.activity;
      if (userId && !this.noticeAt.has(userId) && JSON.stringify(activity ?? {}).includes(NOTICE))
        this.noticeAt.set(userId, performance.now());
    });
  }

  close() {
    this.waiter.close();
    this.off();
  }

  async message(employee: DirectoryUser) {
    expectOk("message", await this.channel.say(employee.id, "I need access to Business Analyst"));
  }

  async form(employee: DirectoryUser) {
    const pkg = latestWithAction(this.channel, employee.id, "request.form");
    if (!pkg) throw new Error("no package card with a request button");
    expectOk("request.form", await this.channel.invoke(employee.id, pkg.id, "request.form", pkg.data));
  }

  async submit(employee: DirectoryUser): Promise<string> {
    await this.submitClick(employee);
    return this.requestOf(employee);
  }

  /** The click alone: a traced step ends at its answer, not after the driver's own reads. */
  async submitClick(employee: DirectoryUser): Promise<void> {
    const form = await this.waiter.wait(employee.id, "request.submit", () => true, CARD_WAIT_MS);
    const data = { ...form.data, justification: "Quarterly reporting" };
    expectOk("request.submit", await this.channel.invoke(employee.id, form.id, "request.submit", data), true);
  }

  async requestOf(employee: DirectoryUser): Promise<string> {
    const [request] = await this.stores.requests.listForUser(employee.id, 1);
    if (!request) throw new Error("the submit stored no request");
    return request.id;
  }

  approver(employee: DirectoryUser, stage: number) {
    return stage === 1 ? employee.managerId! : STAGE2_APPROVER;
  }

  card(employee: DirectoryUser, requestId: string, stage: number) {
    return this.waiter.wait(
      this.approver(employee, stage),
      "approval.approve",
      (d) => d.requestId === requestId && String(d.stage) === String(stage),
      CARD_WAIT_MS,
    );
  }

  async approve(employee: DirectoryUser, requestId: string, stage: number) {
    const card = await this.card(employee, requestId, stage);
    return async () => {
      const data = { ...card.data, decisionReason: "Reviewed" };
      const answer = await this.channel.invoke(
        this.approver(employee, stage),
        card.id,
        "approval.approve",
        data,
      );
      expectOk(`approve stage ${stage}`, answer, true);
    };
  }

  async notice(employee: DirectoryUser, timeoutMs = CARD_WAIT_MS) {
    const deadline = performance.now() + timeoutMs;
    while (!this.noticeAt.has(employee.id)) {
      if (performance.now() > deadline) throw new Error(`no "${NOTICE}" for ${employee.id}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.noticeAt.get(employee.id)!;
  }

  /** A whole lifecycle; returns the time from the final approval's answer to the notice. */
  async lifecycle(employee: DirectoryUser): Promise<number> {
    await this.message(employee);
    await this.form(employee);
    const requestId = await this.submit(employee);
    await (
      await this.approve(employee, requestId, 1)
    )();
    await (
      await this.approve(employee, requestId, 2)
    )();
    const answered = performance.now();
    return Math.max(0, (await this.notice(employee)) - answered);
  }
}
