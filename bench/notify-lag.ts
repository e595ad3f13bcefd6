import { performance } from "node:perf_hooks";
import { LocalDirectory, LocalProvisioner, MemoryMembershipStore } from "../src/adapters/local-directory";
import { systemClock } from "../src/adapters/runtime/clock";
import { RandomIds } from "../src/adapters/runtime/ids";
import { newBatch } from "../src/app/shared/journal";
import type { Assignment, DomainEvent } from "../src/domain/model";
import { memoryStores } from "../test/support/stores";
import { buildBotWorld } from "../test/support/world";
import { benchGovernance, benchOrganization, PACKAGE_ID } from "./fixtures";
import { startRateLimitedConnector } from "./rate-limited-connector";
import type { Section } from "./report";
import { type LagOptions, lagRows, type PhaseResult } from "./notify-lag-report";

export type { LagOptions };

const POLICY_ID = "business-analyst-employees";
/** How long after a phase's last publish its quiet messages may still arrive before counted missing. */
const DRAIN_MS = 5000;

type Phase = "baseline" | "saturated" | "hung";

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

    lagRows(opts, { baseline, saturated, hung: hungPhase }, out);
  } finally {
    await connector.close();
  }
}
