import { TeamsAdapter } from "@microsoft/teams-ai";
import { createMemoryStores } from "../src/adapters/memory";
import { silentLogger } from "../src/adapters/runtime/logger";
import { TeamsNotifier } from "../src/adapters/teams/teams-notifier";
import { noticeView } from "../src/views/notices";
import { outgoing } from "../src/views/notification-views";
import { fmt, runConcurrently } from "./measure";
import { rateShares, startRateLimitedConnector } from "./rate-limited-connector";
import { judged, type Section } from "./report";

export interface FanoutOptions {
  messages: number;
  recipients: number;
  /** Sends in flight at once (the sink and the sweeper send one at a time). */
  concurrency: number;
  /** Each recipient's messages back to back (exercises the per-conversation limits) instead of round robin. */
  grouped?: boolean;
  label: string;
}

const TENANT = "00000000-0000-0000-0000-00000000a11d";

/**
 * Section 5: reminders through the Teams notifier to a connector that throttles like Teams.
 * Every recipient has a saved 1:1 conversation, as after installing the app.
 */
export async function fanoutPass(opts: FanoutOptions, out: Section): Promise<void> {
  const connector = await startRateLimitedConnector();
  try {
    const conversations = createMemoryStores().conversations;
    const recipients = Array.from(
      { length: opts.recipients },
      (_, i) => `cccccccc-0000-4000-8000-${String(i).padStart(12, "0")}`,
    );
    for (const userId of recipients) {
      await conversations.saveUserReference(userId, {
        channelId: "msteams",
        serviceUrl: connector.url,
        conversation: { id: `a:personal-${userId}`, conversationType: "personal", tenantId: TENANT },
        user: { id: `29:${userId}`, aadObjectId: userId },
        bot: { id: "28:access-desk", name: "Access Desk" },
      });
    }
    const adapter = new TeamsAdapter({
      MicrosoftAppId: "",
      MicrosoftAppPassword: "",
      MicrosoftAppType: "",
      MicrosoftAppTenantId: "",
    });
    const notifier = new TeamsNotifier({ adapter, appId: "", conversations, logger: silentLogger });
    let failed = 0;
    const errors = new Map<string, number>();
    const run = await runConcurrently(opts.messages, opts.concurrency, async (i) => {
      const per = Math.ceil(opts.messages / recipients.length);
      const userId = recipients[opts.grouped ? Math.floor(i / per) : i % recipients.length]!;
      const message = outgoing(
        noticeView(`Your access ends soon #R${i}#`, ["Business Analyst ends in 14 days."]),
      );
      try {
        if (!(await notifier.sendToUser(userId, message))) failed += 1;
      } catch (error) {
        failed += 1;
        const key = String((error as { statusCode?: number }).statusCode ?? (error as Error).message).slice(
          0,
          60,
        );
        errors.set(key, (errors.get(key) ?? 0) + 1);
      }
    });
    const stats = connector.stats();
    const { accepted, throttled } = stats;
    const { span: seconds, rate, allowed, share, bestShare } = rateShares(stats);
    let lost = 0;
    let duplicated = 0;
    for (let i = 0; i < opts.messages; i++) {
      const n = connector.delivered.get(i) ?? 0;
      if (n === 0) lost += 1;
      if (n > 1) duplicated += 1;
    }
    const expected = new Map<string, number>();
    for (let i = 0; i < opts.messages; i++) {
      const per = Math.ceil(opts.messages / recipients.length);
      const u = recipients[opts.grouped ? Math.floor(i / per) : i % recipients.length]!;
      expected.set(u, (expected.get(u) ?? 0) + 1);
    }
    const wrongRecipients = recipients.filter(
      (u) => (connector.byConversation.get(`a:personal-${u}`) ?? 0) !== (expected.get(u) ?? 0),
    ).length;
    const l = opts.label;
    out.rows.push(
      {
        metric: `${l}: reminders / recipients / senders in flight`,
        value: `${opts.messages} / ${recipients.length} / ${opts.concurrency}${opts.grouped ? ", each recipient's back to back" : ", round robin"}`,
      },
      { metric: `${l}: accepted / answered 429`, value: `${accepted} / ${throttled}` },
      judged(
        `${l}: achieved rate ÷ allowed rate`,
        `${fmt(rate)} ÷ ${fmt(allowed, 0)} msgs/s = ${fmt(100 * share)} %`,
        "≥ 90 %",
        share >= 0.9,
      ),
      {
        metric: `${l}: best a pacer at 48 msgs/s scores for this many reminders`,
        value: `${fmt(100 * bestShare)} %`,
      },
      judged(`${l}: lost / sent twice`, `${lost} / ${duplicated}`, "0 / 0", lost === 0 && duplicated === 0),
      judged(`${l}: recipients with a wrong count`, String(wrongRecipients), "0", wrongRecipients === 0),
      {
        metric: `${l}: wall time`,
        value: `${fmt(run.seconds)} s (first to last accepted: ${fmt(seconds)} s)`,
      },
    );
    if (failed > 0)
      out.notes.push(
        `${l}: ${failed} sends failed: ${[...errors.entries()].map(([k, n]) => `${n}× ${k}`).join(", ")}.`,
      );
  } finally {
    await connector.close();
  }
}

/** The main pass (one send at a time, as the sink and the sweeper send) and a burst of parallel senders. */
export async function fanoutSection(
  main: Omit<FanoutOptions, "label">,
  burst: Omit<FanoutOptions, "label">,
  out: Section,
) {
  await fanoutPass({ ...main, label: "main" }, out);
  await fanoutPass({ ...burst, label: "burst" }, out);
  out.notes.push(
    "The connector allows 7 msgs/1 s, 8/2 s and 60/30 s per conversation and 50 requests/s per app (sliding windows, accepted sends counted) and answers 429 with Retry-After otherwise.",
    "Lost and duplicated are counted from a marker in each reminder, at the connector.",
    "Achieved rate = accepted sends ÷ (first to last accepted + one window). Retry-After is whole seconds, so a 429 can cost up to a second of idle time.",
    "The pacer keeps 48 a second app-wide, and the measure counts the last window whole: the best it can score is shown (500 sends take 11 windows, the last holding 20: 90.9 %). Below that best, each window is longer by about one call: a slot frees a whole window after its call has ended (the latest moment Teams can have counted it), not after it started.",
  );
}
