import { performance } from "node:perf_hooks";
import { LocalDirectory, LocalProvisioner, MemoryMembershipStore } from "../src/adapters/local-directory";
import { systemClock } from "../src/adapters/runtime/clock";
import { RandomIds } from "../src/adapters/runtime/ids";
import { newBatch } from "../src/app/shared/journal";
import type { Assignment, DomainEvent } from "../src/domain/model";
import { memoryStores } from "../test/support/stores";
import { buildBotWorld } from "../test/support/world";
import { benchGovernance, benchOrganization, PACKAGE_ID } from "./fixtures";
import { fmt, percentile } from "./measure";
import { startRateLimitedConnector } from "./rate-limited-connector";
import { judged, type Section } from "./report";

export interface LagOptions {
  /** Quiet conversations, each told one message a second. */
  quiet: number;
  /** How long each phase publishes quiet messages. */
  phaseSeconds: number;
  /** Messages queued at once to the noisy conversation when its phase starts. */
  noisy: number;
}

const POLICY_ID = "business-analyst-employees";
const TARGET_P99_MS = 1500;
/** How long after a phase's last publish its quiet messages may still arrive before counted missing. */
const DRAIN_MS = 5000;

type Phase = "baseline" | "saturated" | "hung";

interface PhaseResult {
  lags: number[];
  /** Lags counted from the time each publish was planned for: the publisher's own delay added. */
  fromPlan: number[];
  missing: number;
  /** 429s answered during the phase, by "quiet|noisy <limit>". */
  throttled: Map<string, number>;
  /** How late the publish calls ran against their schedule (event-loop delay on the publisher's side). */
  late: number[];
  noisyAccepted: number;
  noisyHeld: number;
  /** From queueing the noisy chat's reminders to the sink handing the last of them to the notifier. */
  burstPlannedMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Section 6: how long a quiet chat waits for its notices while another chat is saturated or hung.
 * The bot is wired by the composition root (`buildBot`: NotificationSink, TeamsNotifier and its
 * ConversationPacer with the defaults production uses) over memory stores, and sends to a loopback
 * Bot Connector that throttles like Teams. Every notice is an expiry reminder published as its own
 * journaled batch, as the sweeper's use case publishes it; the lag of a quiet one runs from the
 * `publish` call to the connector holding the whole request. Three phases in one process, one after
 * another, with the same quiet load: nobody else (baseline), one chat with `noisy` reminders queued
 * at once (saturated), one chat whose connector takes the calls and never answers (hung).
 */
export async function notifyLagSection(opts: LagOptions, out: Section): Promise<void> {
  const { organization, employees } = benchOrganization(opts.quiet + 2);
  const quietUsers = employees.slice(0, opts.quiet).map((e) => e.id);
  const saturatedUser = employees[opts.quiet]!.id;
  const hungUser = employees[opts.quiet + 1]!.id;
  const conversationOf = (userId: string) => `a:personal-${userId}`;
  const quietChats = new Set(quietUsers.map(conversationOf));

  // Publish times of the quiet reminders in flight, by assignment id; their lags once received.
  const publishedAt = new Map<string, { at: number; plannedAt: number }>();
  const fresh = (): PhaseResult => ({
    lags: [],
    fromPlan: [],
    missing: 0,
    throttled: new Map(),
    late: [],
    noisyAccepted: 0,
    noisyHeld: 0,
    burstPlannedMs: 0,
  });
  let current = fresh();
  const hung = new Set<string>();
  const connector = await startRateLimitedConnector({
    hangs: (conversationId) => hung.has(conversationId),
    onThrottled: (conversationId, limit) => {
      const who = quietChats.has(conversationId) ? "quiet" : "noisy";
      const key = `${who} ${limit}`;
      current.throttled.set(key, (current.throttled.get(key) ?? 0) + 1);
    },
    onAccepted: (_conversationId, body) => {
      const id = /"assignmentId":"(asg_lagq[^"]+)"/.exec(body)?.[1];
      const sent = id === undefined ? undefined : publishedAt.get(id);
      if (id === undefined || sent === undefined) return;
      const now = performance.now();
      current.lags.push(now - sent.at);
      current.fromPlan.push(now - sent.plannedAt);
      publishedAt.delete(id);
    },
  });
  try {
    const stores = memoryStores(await benchGovernance());
    const directory = new LocalDirectory(organization, new MemoryMembershipStore());
    const world = buildBotWorld({
      stores,
      directory,
      provisioner: new LocalProvisioner(directory),
      clock: systemClock,
      ids: new RandomIds(systemClock),
      cachedGovernance: true,
      bot: { serviceUrl: connector.url },
    });
    const { deps, events } = world.bot;
    const { notifier } = world.bot;
    // The sink hands each planned send to the notifier (which queues it for its chat): the last
    // hand-over for the noisy chat tells when the sink finished planning its burst.
    const send = notifier.sendToUser.bind(notifier);
    const lastHandedOver = new Map<string, number>();
    notifier.sendToUser = (userId, ...rest) => {
      lastHandedOver.set(userId, performance.now());
      return send(userId, ...rest);
    };
    for (const userId of [...quietUsers, saturatedUser, hungUser]) {
      await stores.conversations.saveUserReference(userId, {
        channelId: "msteams",
        serviceUrl: connector.url,
        conversation: { id: conversationOf(userId), conversationType: "personal" },
        user: { id: `29:${userId}`, aadObjectId: userId },
        bot: { id: "28:access-desk", name: "Access Desk" },
      });
    }

    const now = new Date();
    const endAt = new Date(now.getTime() + 14 * 86_400_000).toISOString();
    /** A delivered assignment ending in 14 days, stored, and the reminder batch a sweep would publish. */
    const reminder = async (id: string, userId: string) => {
      const assignment: Assignment = {
        id,
        userId,
        packageId: PACKAGE_ID,
        policyId: POLICY_ID,
        requestId: `req_${id}`,
        state: "delivered",
        startAt: now.toISOString(),
        endAt,
        resources: [],
        remindersSent: [],
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
        revision: 1,
      };
      await stores.assignments.create(assignment);
      const event: DomainEvent = {
        type: "ExpiryReminderDue",
        assignmentId: id,
        endAt,
        offsetHours: 336,
        canExtend: true,
      };
      const batch = newBatch(deps, { kind: "assignment", id }, [event]);
      // The use case journals the batch before it saves and publishes.
      await stores.due.schedule([batch.item]);
      return { events: [event], batch };
    };

    type Planned = Awaited<ReturnType<typeof reminder>> & { id: string; dueMs: number };
    /** One reminder a second to each quiet chat for `seconds`, spread evenly, stored ahead of time. */
    const planQuiet = async (phase: string, seconds: number): Promise<Planned[]> => {
      const planned: Planned[] = [];
      for (let j = 0; j < seconds; j++) {
        for (const [k, userId] of quietUsers.entries()) {
          const id = `asg_lagq_${phase}_${k}_${j}`;
          planned.push({
            id,
            dueMs: j * 1000 + (k * 1000) / quietUsers.length,
            ...(await reminder(id, userId)),
          });
        }
      }
      return planned;
    };

    /** Publishes each planned reminder at its time; resolves once all arrived (or the drain ran out). */
    const quietLoad = async (planned: Planned[], result: PhaseResult) => {
      publishedAt.clear();
      const started = performance.now();
      await Promise.all(
        planned.map(async (p) => {
          const wait = started + p.dueMs - performance.now();
          if (wait > 0) await sleep(wait);
          const at = performance.now();
          result.late.push(at - (started + p.dueMs));
          publishedAt.set(p.id, { at, plannedAt: started + p.dueMs });
          await events.publish(p.events, p.batch);
        }),
      );
      const deadline = performance.now() + DRAIN_MS;
      while (publishedAt.size > 0 && performance.now() < deadline) await sleep(20);
      result.missing = publishedAt.size;
    };

    const noisyBatches = (userId: string, label: string) =>
      Promise.all(Array.from({ length: opts.noisy }, (_, i) => reminder(`asg_lagn_${label}_${i}`, userId)));

    const run = async (phase: Phase): Promise<PhaseResult> => {
      const result = fresh();
      const noisy = phase === "saturated" ? saturatedUser : phase === "hung" ? hungUser : undefined;
      const acceptedBefore = noisy ? (connector.byConversation.get(conversationOf(noisy)) ?? 0) : 0;
      const quiet = await planQuiet(phase, opts.phaseSeconds);
      const burst = noisy ? await noisyBatches(noisy, phase) : [];
      if (phase === "hung") hung.add(conversationOf(hungUser));
      current = result;
      // Everything is queued at once, as a sweep that finds them all due would publish them.
      const burstAt = performance.now();
      for (const b of burst) void events.publish(b.events, b.batch);
      await quietLoad(quiet, result);
      if (noisy) {
        result.noisyAccepted = (connector.byConversation.get(conversationOf(noisy)) ?? 0) - acceptedBefore;
        result.noisyHeld = connector.held.get(conversationOf(noisy)) ?? 0;
        result.burstPlannedMs = (lastHandedOver.get(noisy) ?? burstAt) - burstAt;
      }
      // What is left of the saturated chat's queue stops here: its connector no longer answers, so
      // it waits on one call (15 s timeout) instead of sending beside the next phase.
      if (phase === "saturated") hung.add(conversationOf(saturatedUser));
      return result;
    };

    // Warm-up: one reminder to every chat (connections, JIT, caches), then let the windows empty.
    const warm = fresh();
    for (const userId of [saturatedUser, hungUser]) {
      const r = await reminder(`asg_lagw_${userId}`, userId);
      await events.publish(r.events, r.batch);
    }
    current = warm;
    await quietLoad(await planQuiet("warm", 1), warm);
    await sleep(2000);

    const baseline = await run("baseline");
    const saturated = await run("saturated");
    const hungPhase = await run("hung");

    const sorted = (values: number[], missing: number) => [
      ...[...values].sort((a, b) => a - b),
      // A message that never arrived counts as slower than any that did.
      ...Array<number>(missing).fill(Infinity),
    ];
    const ms = (v: number) => (Number.isFinite(v) ? `${fmt(v)} ms` : "never");
    const summary = (r: PhaseResult, values: number[]) => {
      const all = sorted(values, r.missing);
      return {
        n: all.length,
        p50: percentile(all, 50),
        p99: percentile(all, 99),
        max: all[all.length - 1] ?? 0,
      };
    };
    const show = (x: ReturnType<typeof summary>) =>
      `p50 ${ms(x.p50)}, p99 ${ms(x.p99)}, max ${ms(x.max)} (n=${x.n})`;
    const ratio = (a: number, base: number) => (base > 0 ? `${fmt(a / base, 2)}×` : "n/a");
    const throttledOf = (r: PhaseResult) =>
      r.throttled.size === 0
        ? "0"
        : [...r.throttled.entries()].map(([k, n]) => `${n} ${k.replace(" ", " over ")}`).join(", ");
    const phases: Array<[string, PhaseResult]> = [
      ["baseline", baseline],
      ["saturated", saturated],
      ["hung", hungPhase],
    ];
    const perPhase = opts.quiet * opts.phaseSeconds;
    const b = summary(baseline, baseline.lags);
    out.rows.push({
      metric: "quiet load (every phase)",
      value: `${opts.quiet} chats × 1 reminder/s × ${opts.phaseSeconds} s = ${perPhase} reminders, each its own journaled batch`,
    });
    out.rows.push({ metric: "baseline (no noisy chat): quiet lag from publish", value: show(b) });
    for (const [label, r] of phases.slice(1)) {
      const x = summary(r, r.lags);
      const what = label === "saturated" ? `${opts.noisy} queued to one chat` : "one chat never answers";
      out.rows.push(
        judged(`${label} (${what}): quiet lag from publish`, show(x), "p99 ≤ 1.5 s", x.p99 <= TARGET_P99_MS),
        {
          metric: `${label} ÷ baseline (p50 / p99)`,
          value: `${ratio(x.p50, b.p50)} / ${ratio(x.p99, b.p99)}`,
        },
      );
    }
    for (const [label, r] of phases) {
      const x = summary(r, r.fromPlan);
      const row = { metric: `${label}: quiet lag from the planned publish time`, value: show(x) };
      out.rows.push(
        label === "baseline" ? row : judged(row.metric, row.value, "p99 ≤ 1.5 s", x.p99 <= TARGET_P99_MS),
      );
    }
    out.rows.push(
      judged(
        "quiet reminders missing (baseline / saturated / hung)",
        `${baseline.missing} / ${saturated.missing} / ${hungPhase.missing} of ${perPhase} each`,
        "0",
        baseline.missing + saturated.missing + hungPhase.missing === 0,
      ),
      {
        metric: "noisy chat during its phase",
        value: `saturated: ${saturated.noisyAccepted} of ${opts.noisy} accepted; hung: ${hungPhase.noisyHeld} call(s) taken and never answered, ${hungPhase.noisyAccepted} accepted`,
      },
      {
        metric: `sink planning the noisy chat's ${opts.noisy} reminders (saturated / hung)`,
        value: `${fmt(saturated.burstPlannedMs, 0)} / ${fmt(hungPhase.burstPlannedMs, 0)} ms (${fmt(saturated.burstPlannedMs / opts.noisy, 2)} / ${fmt(hungPhase.burstPlannedMs / opts.noisy, 2)} ms each)`,
      },
      {
        metric: "publish calls late on their plan, p99 / max (baseline; saturated; hung)",
        value: phases
          .map(([, r]) => {
            const late = [...r.late].sort((x, y) => x - y);
            return `${fmt(percentile(late, 99))} / ${fmt(late[late.length - 1] ?? 0)} ms`;
          })
          .join("; "),
      },
      ...phases.map(([label, r]) => ({ metric: `${label}: answered 429`, value: throttledOf(r) })),
    );
    const appShare = Math.round((100 * (opts.quiet + 4)) / 48);
    out.notes.push(
      "Quiet lag from publish runs from the `publish` call (the use case handing its journaled batch to the sink) to the loopback connector holding the reminder's request: the sink's planning (reads, card rendering), the conversation's pacer queue and slots, and botbuilder's HTTP call are in it. From the planned publish time adds how late the publish itself ran: on memory stores the burst's planning hardly yields, so it holds up the event loop and the publishers with it.",
      `The quiet chats send ${opts.quiet} a second together; with the saturated chat's 8 per 2 s that is about ${appShare} % of the pacer's app-wide 48 a second. The pacer counts a call from when its slot is handed out until the call ends (the connector counts it when it arrives, in between), so its 48 a second stay under the connector's 50 however long each call takes; a 429 would come from botbuilder retrying a call by itself, outside the pacer's slots, and costs at least a second (Retry-After is whole seconds). \`BENCH_LAG_QUIET_CHATS\` sets the quiet load.`,
      "A quiet chat never waits on the hung call: the hung chat's queue holds one call that is not answered (the pacer's 15 s timeout is longer than the phase), every other chat goes on. The sink plans batches about different subjects side by side (up to 8 at once), so a reminder published just after the noisy chat's burst waits at most for a planning slot, not for the whole burst (the planning row).",
      "The phases run one after another in one process with the same quiet chats, load and senders. When the saturated phase ends its chat stops being answered, so its backlog waits on one call instead of sending beside the hung phase (two chats are hung in that phase). The saturated chat's own calls stay within 8 per 2 s where the connector counts them: the pacer holds each slot until its call ends.",
      `The ratio compares like with like and leaves out: Teams' own latency (the loopback connector answers at once; a Bot Connector call takes tens to hundreds of milliseconds), storage and directory latency (memory stores and the local directory; with Table Storage and Graph each of the ${opts.noisy} queued reminders costs network reads in the planning queue, so the burst's planning, and the quiet chats' wait behind it, grows with their latency), tokens (local mode sends none), and time: a hung chat's calls time out every 15 s and their sockets may stay open (botbuilder's calls take no abort signal), which a phase of ${opts.phaseSeconds} s does not show.`,
    );
  } finally {
    await connector.close();
  }
}
