import { performance } from "node:perf_hooks";
import { DEMO } from "../src/adapters/local-directory";
import type { DirectoryUser } from "../src/domain/model";
import { createLocalChannel, type LocalChannel, type RecordedActivity } from "../src/local-channel";
import { azuriteStores, tableStoresOn } from "../test/support/stores";
import { actionData, cardOf } from "./cards";
import { spawnBot } from "./bot-spawn";
import { Driver } from "./driver";
import { benchGovernance, benchOrganization } from "./fixtures";
import { expectOk, show, stats } from "./latency";
import { fmt, runConcurrently } from "./measure";
import { judged, type Section } from "./report";
import { busiestWindow, startThrottlingForwarder } from "./throttling-forwarder";

export interface DigestBurstOptions {
  /** Requests submitted at once; stage 2 of every one goes to the Security Team. */
  requests: number;
  /** Employees per manager (stage 1). */
  perManager: number;
}

const PREFIX = "BenchDigest";
const NOTICE_WAIT_MS = 600_000;
/** The Security Team: stage 2's approvers. One of them decides; all three get the cards. */
const SECURITY_TEAM = [DEMO.ciso, DEMO.securityApprover, "11111111-0000-4000-8000-000000000012"];

/** What the user sees of a bot message now: the card their last click answered with, else the message. */
function seen(a: RecordedActivity, userId: string): unknown {
  const view = a.views[userId];
  return view && view.version === a.version ? view.card : cardOf(a);
}

/** The digest's toggles: request id → "<stage>.<revision>" (the value a switched-on toggle sends). */
function digestPicks(card: unknown): Map<string, string> {
  const picks = new Map<string, string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const n = node as Record<string, unknown>;
      if (n.type === "Input.Toggle" && typeof n.id === "string" && n.id.startsWith("pick_"))
        picks.set(n.id.slice("pick_".length), String(n.valueOn));
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return picks;
}

/**
 * An approver who keeps up: whenever their chat shows a digest or an approval card of their stage
 * with something undecided, they approve it (a digest: every request at once, "Approve selected").
 * The final stage's approver records when each of its decisions was answered (`answeredAt`).
 */
class Approver {
  private stopped = false;
  private readonly clicked = new Set<string>();
  readonly done: Promise<void>;

  constructor(
    private readonly channel: LocalChannel,
    readonly userId: string,
    private readonly stage: number,
    /** Given to the final stage's approver only: a stage-1 answer is not the final approval. */
    private readonly answeredAt?: Map<string, number>,
  ) {
    this.done = this.loop();
  }

  stop() {
    this.stopped = true;
    return this.done;
  }

  private async loop() {
    while (!this.stopped) {
      if (!(await this.actOnce())) await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** One click on the first card with something to decide; false when there was none. */
  private async actOnce(): Promise<boolean> {
    const list = this.channel.activities(this.channel.conversationOf(this.userId));
    for (const a of [...list].reverse()) {
      const card = seen(a, this.userId);
      if (actionData(card, "digest.approveSelected")) {
        const picks = [...digestPicks(card)].filter(
          ([id, on]) => on.startsWith(`${this.stage}.`) && !this.clicked.has(`${id}:${on}`),
        );
        if (picks.length === 0) continue;
        const data = Object.fromEntries([
          ...picks.map(([id, on]) => [`pick_${id}`, on]),
          ["digestReason", "Reviewed"],
        ]);
        picks.forEach(([id, on]) => this.clicked.add(`${id}:${on}`));
        const answer = await this.channel.invoke(this.userId, a.id, "digest.approveSelected", data);
        expectOk("digest.approveSelected", answer, true);
        const at = performance.now();
        for (const [id] of picks) if (!this.answeredAt?.has(id)) this.answeredAt?.set(id, at);
        return true;
      }
      const single = actionData(card, "approval.approve");
      const key = single && `${String(single.requestId)}:${String(single.stage)}`;
      if (!single || String(single.stage) !== String(this.stage) || this.clicked.has(key!)) continue;
      this.clicked.add(key!);
      const answer = await this.channel.invoke(this.userId, a.id, "approval.approve", {
        ...single,
        decisionReason: "Reviewed",
      });
      expectOk("approval.approve", answer, true);
      if (!this.answeredAt?.has(String(single.requestId)))
        this.answeredAt?.set(String(single.requestId), performance.now());
      return true;
    }
    return false;
  }
}

/**
 * Section: many requests at once whose stage 2 goes to one group, with approval digests on, behind
 * a connector that throttles like Teams; the bot in its own process.
 */
export async function digestBurstSection(
  connectionString: string,
  opts: DigestBurstOptions,
  out: Section,
): Promise<void> {
  const warm = 2;
  const people = warm + opts.requests;
  const shape = { perManager: opts.perManager, oneManagerFrom: people };
  const { employees } = benchOrganization(people, shape);
  await azuriteStores(connectionString, { tablePrefix: PREFIX, governance: await benchGovernance() });
  const channel = createLocalChannel({ botEndpoint: "http://127.0.0.1:1/api/messages", personas: [] });
  await channel.listen();
  const teams = await startThrottlingForwarder(channel.serviceUrl);
  // Activities carry the throttling front's URL: every call of the bot goes through it.
  channel.serviceUrl = teams.url;
  const bot = await spawnBot({
    BENCH_BOT_STORAGE: connectionString,
    BENCH_BOT_PREFIX: PREFIX,
    BENCH_BOT_SERVICE_URL: teams.url,
    BENCH_BOT_PEOPLE: String(people),
    BENCH_BOT_PER_MANAGER: String(shape.perManager),
    BENCH_BOT_ONE_MANAGER_FROM: String(shape.oneManagerFrom),
    BENCH_BOT_DIGEST: "1",
  });
  channel.botEndpoint = `${bot.url}/api/messages`;
  const driver = new Driver(channel, tableStoresOn(connectionString, { tablePrefix: PREFIX }));
  const answeredAt = new Map<string, number>();
  const managers = [...new Set(employees.map((e) => e.managerId!))];
  const approvers = [
    ...managers.map((m) => new Approver(channel, m, 1)),
    new Approver(channel, DEMO.securityApprover, 2, answeredAt),
  ];
  try {
    const everyone = [...SECURITY_TEAM, ...managers, ...employees.map((e) => e.id)];
    await runConcurrently(everyone.length, 8, (i) => channel.install(everyone[i]!).then(() => undefined));
    for (const e of employees.slice(0, warm)) {
      await driver.message(e);
      await driver.form(e);
      await driver.submit(e);
      await driver.notice(e, NOTICE_WAIT_MS);
    }
    // Let the warm-up's digest windows close before the burst.
    await new Promise((r) => setTimeout(r, 4_000));

    const burst = employees.slice(warm);
    const requestOf = new Map<string, DirectoryUser>();
    const start = performance.now();
    const startMs = Date.now();
    await runConcurrently(burst.length, burst.length, async (i) => {
      const e = burst[i]!;
      await driver.message(e);
      await driver.form(e);
      requestOf.set(await driver.submit(e), e);
    });
    const submitted = performance.now();
    const notices = await Promise.all(burst.map((e) => driver.notice(e, NOTICE_WAIT_MS)));
    const end = Math.max(...notices);
    const perSecond = burst.length / ((end - start) / 1000);
    const lags = [...requestOf].map(([id, e]) =>
      Math.max(0, driver.noticeAt.get(e.id)! - answeredAt.get(id)!),
    );
    const lag = stats(lags);

    const during = (userId: string) => {
      const calls = teams.calls.get(channel.conversationOf(userId));
      const accepted = (calls?.accepted ?? []).filter((t) => t >= startMs);
      return { accepted, throttled: calls?.throttled ?? 0 };
    };
    const allCalls = [...teams.calls.values()];
    const throttled = allCalls.reduce((n, c) => n + c.throttled, 0);
    const whose = (conversationId: string) => {
      const userId = channel.store.resolve(conversationId)?.userId;
      if (!userId) return "a channel";
      if (SECURITY_TEAM.includes(userId)) return "Security Team";
      return managers.includes(userId) ? "managers" : "requesters";
    };
    const refusedBy = new Map<string, number>();
    for (const [conversationId, c] of teams.calls)
      if (c.throttled > 0)
        refusedBy.set(whose(conversationId), (refusedBy.get(whose(conversationId)) ?? 0) + c.throttled);
    const refusedWhere = [...refusedBy].map(([who, n]) => `${who}: ${n}`).join(", ");
    const acceptedDuring = allCalls
      .flatMap((c) => c.accepted.filter((t) => t >= startMs))
      .sort((a, b) => a - b);
    const busiest = Math.max(
      ...allCalls.map((c) =>
        busiestWindow(
          c.accepted.filter((t) => t >= startMs),
          30_000,
        ),
      ),
    );
    const decider = during(DEMO.securityApprover);
    const others = SECURITY_TEAM.filter((u) => u !== DEMO.securityApprover).map(during);
    const managerCalls = managers.map(during).reduce((n, c) => n + c.accepted.length, 0);
    const requesterCalls = burst.map((e) => during(e.id)).reduce((n, c) => n + c.accepted.length, 0);
    const n = burst.length;
    out.rows.push(
      {
        metric: "requests at once / managers (stage 1) / stage-2 group",
        value: `${n} / ${managers.length} (${opts.perManager} employees each) / Security Team (3 members, one decides)`,
      },
      {
        metric: "all submitted after",
        value: `${fmt((submitted - start) / 1000, 1)} s`,
      },
      judged(
        'lifecycles/s end to end (first message → last "You now have")',
        `${fmt(perSecond, 2)} (${n} in ${fmt((end - start) / 1000, 1)} s)`,
        "≥ 5",
        perSecond >= 5,
      ),
      judged('final approval answered → "You now have"', show(lag), "p99 ≤ 2000 ms", lag.p99 <= 2000),
      judged(
        "calls the connector refused with 429 (the bot tried beyond Teams' limits)",
        `${throttled}${throttled > 0 ? ` (${refusedWhere})` : ""}`,
        "0",
        throttled === 0,
      ),
      {
        metric: "calls into conversations during the burst (sends and card updates)",
        value: `${acceptedDuring.length} (${fmt(acceptedDuring.length / n, 1)} per lifecycle); busiest conversation: ${busiest} in 30 s; busiest second app-wide: ${busiestWindow(acceptedDuring, 1_000)} (limit ${50})`,
      },
      judged(
        "calls per lifecycle into the deciding stage-2 approver's chat",
        fmt(decider.accepted.length / n, 2),
        "≤ 3",
        decider.accepted.length / n <= 3,
      ),
      {
        metric:
          "calls per lifecycle into each other Security Team member's chat / the managers' chats / the requester's chat",
        value: `${others.map((o) => fmt(o.accepted.length / n, 2)).join(", ")} / ${fmt(managerCalls / n, 2)} / ${fmt(requesterCalls / n, 2)}`,
      },
    );
    out.notes.push(
      `The bot runs in its own process (bench/bot-process.ts) with approval digests as production's defaults set them (3 cards within 3 s make a digest); every call it makes into a conversation passes a front that throttles like Teams (7/1 s, 8/2 s, 60/30 s per conversation, 50/s per app; bench/throttling-forwarder.ts) on its way to the local channel. Managers and one Security Team member approve whatever their chat shows, a digest with "Approve selected" (all of it at once), a single card with Approve.`,
      "Final approval → notice: from the answer of the click that approved the request's stage 2 to its requester's \"You now have\". The app-wide limit bounds the rate: at the calls per lifecycle shown, 50 calls/s allow at most 50 ÷ (calls per lifecycle) lifecycles/s.",
      "Leaves out: the scheduler (no sweeper runs in the bot process), Microsoft Graph (the local directory), Teams' own latency, and people's reading time (approvers click as soon as a card shows).",
    );
  } finally {
    await Promise.all(approvers.map((a) => a.stop()));
    driver.close();
    bot.child.kill();
    await channel.close();
    await teams.close();
  }
}
