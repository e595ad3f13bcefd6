import { TeamsAdapter } from "@microsoft/teams-ai";
import { createMemoryStores } from "../src/adapters/memory";
import { silentLogger } from "../src/adapters/runtime/logger";
import { TeamsNotifier } from "../src/adapters/teams/teams-notifier";
import {
  completeAccessReview,
  decideRemainingItems,
  decideReviewItem,
  startAccessReview,
} from "../src/app/lifecycle";
import { reviewCardModel, reviewersOf } from "../src/app/queries/review-card";
import type { AccessReview, Assignment, GovernanceConfig, ReviewSettings } from "../src/domain/model";
import { notificationViews } from "../src/views/notification-views";
import { azuriteStores } from "../test/support/stores";
import { benchDeps, benchGovernance, benchOrganization, PACKAGE_ID } from "./fixtures";
import { fmt, runConcurrently } from "./measure";
import { rateShares, startRateLimitedConnector } from "./rate-limited-connector";
import { judged, type Section } from "./report";

export interface ReviewScaleOptions {
  /** Assignments under review (one item each). */
  items: number;
  /** Reviewers: each person's manager reviews them, items / reviewers people per manager. */
  reviewers: number;
  /** Decisions in flight at once. */
  concurrency: number;
}

const TENANT = "00000000-0000-0000-0000-00000000a11d";
/** Every twentieth person's account is disabled: recommended for removal, removed if nobody answers. */
const DISABLED_EVERY = 20;
/** Cards rendered and sent at once: rendering (CPU) overlaps the paced sends. */
const CARD_SENDERS = Number(process.env.BENCH_REVIEW_CARD_SENDERS ?? 3);

/** The package's policy with a monthly review that started a minute ago: managers review, no answer follows the recommendation. */
async function reviewGovernance(): Promise<{
  config: GovernanceConfig;
  policyId: string;
  occurrence: string;
}> {
  const config = await benchGovernance();
  const policy = config.policies.find((p) => p.packageId === PACKAGE_ID)!;
  const occurrence = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000).toISOString();
  const review: ReviewSettings = {
    recurrence: "monthly",
    startDate: occurrence,
    durationDays: 14,
    reviewers: [{ kind: "manager", level: 1 }],
    fallbackReviewers: policy.lifecycle.review?.fallbackReviewers ?? [],
    justificationRequired: false,
    ifNoResponse: "recommendation",
  };
  const policies = config.policies.map((p) =>
    p.id === policy.id ? { ...p, lifecycle: { ...p.lifecycle, review } } : p,
  );
  return { config: { ...config, policies }, policyId: policy.id, occurrence };
}

/**
 * Section 8: one access review of `items` assignments across `reviewers` managers, through the use
 * cases on Table Storage: start it, send every reviewer's card through the Teams notifier to a
 * connector that throttles like Teams, let half the reviewers decide (one denial, then approve the
 * rest), and complete it (no answer: the recommendation). Time and storage requests of each step.
 */
export async function reviewScaleSection(
  connectionString: string,
  opts: ReviewScaleOptions,
  out: Section,
): Promise<void> {
  const perManager = Math.max(1, Math.round(opts.items / opts.reviewers));
  const { organization, employees } = benchOrganization(opts.items, { perManager });
  for (const [i, e] of employees.entries())
    if (i % DISABLED_EVERY === DISABLED_EVERY - 1) e.accountEnabled = false;
  const { config, policyId, occurrence } = await reviewGovernance();
  const stores = await azuriteStores(connectionString, { tablePrefix: "BenchReview", governance: config });
  const deps = benchDeps(stores, organization);

  // Setup, not measured: one active assignment per person.
  const now = new Date().toISOString();
  await runConcurrently(employees.length, 16, async (i) => {
    const assignment: Assignment = {
      id: `asg-bench-${String(i).padStart(6, "0")}`,
      userId: employees[i]!.id,
      packageId: PACKAGE_ID,
      policyId,
      requestId: `req-bench-${i}`,
      state: "delivered",
      startAt: now,
      resources: [],
      remindersSent: [],
      createdAt: now,
      updatedAt: now,
      revision: 1,
    };
    await stores.assignments.create(assignment);
  });

  const size = `${opts.items.toLocaleString("en")} items / ${opts.reviewers.toLocaleString("en")} reviewers`;
  // 1. Start.
  stores.counter.reset();
  let t0 = Date.now();
  const started = await startAccessReview(
    deps,
    { dueAt: occurrence, kind: "reviewStart", subjectId: policyId, discriminator: occurrence },
    { inactiveDays: 30 },
  );
  if (!started) throw new Error("the review did not start");
  const startSeconds = (Date.now() - t0) / 1000;
  const startOps = stores.counter.operations;
  const reviewers = reviewersOf(started);
  out.rows.push(
    {
      metric: "review size",
      value: `${size} (${started.items.length} items stored, ${reviewers.length} reviewers)`,
    },
    judged(
      "start: time / storage requests",
      `${fmt(startSeconds)} s / ${startOps}`,
      "starts",
      started.items.length === opts.items,
    ),
  );

  // 2. Every reviewer's card, rendered from stored state and sent through the notifier.
  const connector = await startRateLimitedConnector();
  try {
    const conversations = createMemoryStores().conversations;
    for (const userId of reviewers) {
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
    stores.counter.reset();
    t0 = Date.now();
    const review = (await stores.reviews.get(started.id))!.value;
    let failed = 0;
    // Cards render while others are sent; the notifier paces the sends (per chat and per app).
    await runConcurrently(reviewers.length, CARD_SENDERS, async (i) => {
      const reviewer = reviewers[i]!;
      const card = notificationViews.review(await reviewCardModel(deps, review, reviewer), review, reviewer);
      if (!(await notifier.sendToUser(reviewer, card).catch(() => undefined))) failed += 1;
    });
    const sendSeconds = (Date.now() - t0) / 1000;
    const sendOps = stores.counter.operations;
    const stats = connector.stats();
    const { accepted, throttled } = stats;
    const { rate, allowed, share, bestShare } = rateShares(stats);
    const counts = reviewers.map((r) => connector.byConversation.get(`a:personal-${r}`) ?? 0);
    const lost = counts.filter((n) => n === 0).length;
    const doubled = counts.filter((n) => n > 1).length;
    out.rows.push(
      {
        metric: "cards: sent / answered 429 / failed",
        value: `${accepted} / ${throttled} / ${failed}`,
      },
      judged(
        "cards: achieved rate ÷ allowed rate",
        `${fmt(rate)} ÷ ${fmt(allowed, 0)} msgs/s = ${fmt(100 * share)} %`,
        "≥ 90 %",
        share >= 0.9,
      ),
      {
        metric: "cards: best a pacer at 48 msgs/s scores for this many cards",
        value: `${fmt(100 * bestShare)} %`,
      },
      judged("cards: lost / sent twice", `${lost} / ${doubled}`, "0 / 0", lost === 0 && doubled === 0),
      {
        metric: "cards: time / storage requests",
        value: `${fmt(sendSeconds)} s / ${sendOps} (the review read once; items carry their start)`,
      },
    );
  } finally {
    await connector.close();
  }

  // 3. Half the reviewers decide: one item denied, then the rest of theirs approved in one go.
  const deciding = reviewers.filter((_, i) => i % 2 === 0);
  const mine = new Map<string, string>();
  for (const item of started.items)
    for (const r of item.reviewers) if (!mine.has(r)) mine.set(r, item.assignmentId);
  let conflicts = 0;
  const decided = async (run: () => Promise<{ ok: boolean; error?: { code: string; message: string } }>) => {
    for (let attempt = 1; ; attempt += 1) {
      const result = await run();
      if (result.ok) return;
      // Told "try again": the reviewer clicks again, as the card asks.
      if (result.error?.code !== "CONCURRENCY.CONFLICT" || attempt >= 5)
        throw new Error(`decision refused: ${result.error?.code} ${result.error?.message}`);
      conflicts += 1;
    }
  };
  stores.counter.reset();
  const single = await runConcurrently(deciding.length, opts.concurrency, async (i) => {
    const actorId = deciding[i]!;
    await decided(() =>
      decideReviewItem(deps, {
        actorId,
        reviewId: started.id,
        assignmentId: mine.get(actorId)!,
        outcome: "deny",
        justification: "No longer in the team.",
        source: "bench",
      }),
    );
  });
  const singleOps = stores.counter.operations;
  stores.counter.reset();
  const bulk = await runConcurrently(deciding.length, opts.concurrency, async (i) => {
    await decided(() =>
      decideRemainingItems(deps, {
        actorId: deciding[i]!,
        reviewId: started.id,
        outcome: "approve",
        source: "bench",
      }),
    );
  });
  const bulkOps = stores.counter.operations;
  out.rows.push(
    {
      metric: `decide one item (${deciding.length}, ${opts.concurrency} at once): p50 / p99, storage requests each`,
      value: `${fmt(single.p50)} / ${fmt(single.p99)} ms, ${fmt(singleOps / deciding.length)}`,
    },
    {
      metric: `approve the rest of a reviewer's ${perManager - 1} (${deciding.length}): p50 / p99, storage requests each`,
      value: `${fmt(bulk.p50)} / ${fmt(bulk.p99)} ms, ${fmt(bulkOps / deciding.length)}`,
    },
    { metric: "decisions told to try again (another decision saved first)", value: String(conflicts) },
  );

  // 4. The end: denials removed, unanswered items follow the recommendation.
  stores.counter.reset();
  t0 = Date.now();
  await completeAccessReview(deps, started.id);
  const completeSeconds = (Date.now() - t0) / 1000;
  const completeOps = stores.counter.operations;
  const done: AccessReview | undefined = (await stores.reviews.get(started.id))?.value;
  const removed = done?.items.filter((i) => i.applied === "removed").length ?? 0;
  const expectedRemoved =
    deciding.length +
    started.items.filter((i) => i.recommendation === "deny" && !i.reviewers.some((r) => deciding.includes(r)))
      .length;
  out.rows.push(
    judged(
      "complete: time / storage requests",
      `${fmt(completeSeconds)} s / ${completeOps} (${removed} assignments removed)`,
      "completes",
      done?.state === "completed" && removed === expectedRemoved,
    ),
  );
  out.notes.push(
    `Size ${size}: each manager reviews ${perManager} people; every ${DISABLED_EVERY}th account is disabled (recommended for removal). ` +
      "A review is stored as a header and chunks of at most 100 items in its own partition (docs/storage.md, Reviews); a decision reads the header, the reviewer's index rows and chunks, and writes its chunk and the header in one transaction.",
    "Start reads every assignment of the package (the package's index rows, then each assignment) and writes the review's chunks in transactions, then one index row per reviewer. The cards step reads the review once; each card is drawn from the reviewer's items (indexed once per review; ~6 ms of CPU per card, mostly templating) and sent through the notifier's pacer. Complete removes each removed assignment (its own writes and audit) and rewrites every chunk once.",
    "Leaves out: the cards sent after decisions and at the end (events go to a sink that does nothing here), the bot layer, Teams' own latency.",
  );
}
