import { STAGE2_APPROVER } from "./fixtures";
import { latestWithAction } from "./cards";
import { expectOk, show, stats, timed, type Latencies } from "./latency";
import { startBotOverHttp, type BotOverHttp } from "./http-app";
import { collectGarbage, fmt, runConcurrently, trackRss } from "./measure";
import { judged, type Section } from "./report";
import type { DirectoryUser } from "../src/domain/model";

export interface HttpOptions {
  concurrency: number;
  lifecycles: number;
  echoes: number;
  slowGrantMs: number;
}

const CARD_WAIT_MS = 120_000;

/** An employee asks in chat, opens the form, submits; the manager, then security approve by card. */
async function lifecycleOverHttp(h: BotOverHttp, employee: DirectoryUser, into: Latencies): Promise<void> {
  const { channel, waiter } = h;
  expectOk(
    "message",
    await timed(into, "message", () => channel.say(employee.id, "I need access to Business Analyst")),
  );
  const pkg = latestWithAction(channel, employee.id, "request.form");
  if (!pkg) throw new Error("no package card with a request button");
  expectOk(
    "request.form",
    await timed(into, "request.form invoke", () =>
      channel.invoke(employee.id, pkg.id, "request.form", pkg.data),
    ),
  );
  const form = latestWithAction(channel, employee.id, "request.submit");
  if (!form) throw new Error("no request form");
  const submit = { ...form.data, justification: "Quarterly reporting" };
  expectOk(
    "request.submit",
    await timed(into, "request.submit invoke", () =>
      channel.invoke(employee.id, form.id, "request.submit", submit),
    ),
    true,
  );
  const [request] = await h.stores.requests.listForUser(employee.id, 1);
  if (!request) throw new Error("the submit stored no request");
  const approve = async (approver: string, stage: number) => {
    const card = await waiter.wait(
      approver,
      "approval.approve",
      (d) => d.requestId === request.id && String(d.stage) === String(stage),
      CARD_WAIT_MS,
    );
    const data = { ...card.data, decisionReason: "Reviewed" };
    const answer = await timed(into, `approve stage ${stage} invoke`, () =>
      channel.invoke(approver, card.id, "approval.approve", data),
    );
    expectOk(`approve stage ${stage}`, answer, true);
  };
  await approve(employee.managerId!, 1);
  await approve(STAGE2_APPROVER, 2);
}

/** Bounded wait until every request of `people` is delivered; returns how many are. */
async function waitDelivered(h: BotOverHttp, people: DirectoryUser[], timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let delivered = 0;
  while (Date.now() < deadline) {
    delivered = 0;
    for (const p of people)
      if ((await h.stores.requests.listForUser(p.id, 1))[0]?.state === "delivered") delivered += 1;
    if (delivered === people.length) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return delivered;
}

/** Section 3: card actions through the real bot vs a bare echo bot, then with slow provisioning. */
export async function httpSection(connectionString: string, opts: HttpOptions, out: Section): Promise<void> {
  const perPhase = Math.max(1, Math.floor(opts.lifecycles / 2));
  const warmup = Math.min(opts.concurrency, 10);
  const h = await startBotOverHttp(connectionString, warmup + 2 * perPhase);
  try {
    await runConcurrently(warmup, opts.concurrency, (i) => lifecycleOverHttp(h, h.employees[i]!, {}));
    const rss = trackRss();
    const normal: Latencies = {};
    const normalPeople = h.employees.slice(warmup, warmup + perPhase);
    const run = await runConcurrently(perPhase, opts.concurrency, (i) =>
      lifecycleOverHttp(h, normalPeople[i]!, normal),
    );
    const normalDelivered = await waitDelivered(h, normalPeople, 60_000);

    h.provisioner.delayPerGrantMs = opts.slowGrantMs;
    const slow: Latencies = {};
    const slowPeople = h.employees.slice(warmup + perPhase, warmup + 2 * perPhase);
    await runConcurrently(perPhase, opts.concurrency, (i) => lifecycleOverHttp(h, slowPeople[i]!, slow));
    const slowDelivered = await waitDelivered(h, slowPeople, 120_000);
    await h.bot.events.drain();
    const memory = rss.stop();
    collectGarbage();
    const after = process.memoryUsage();

    out.rows.push({
      metric: "employee lifecycles over HTTP",
      value: `${perPhase} + ${perPhase} (normal + slow provisioning), ${fmt(run.perSecond, 1)}/s normal`,
    });
    for (const label of [
      "message",
      "request.form invoke",
      "request.submit invoke",
      "approve stage 1 invoke",
      "approve stage 2 invoke",
    ]) {
      out.rows.push({ metric: `${label}`, value: show(stats(normal[label])) });
    }
    const slow2 = stats(slow["approve stage 2 invoke"]);
    const normal2 = stats(normal["approve stage 2 invoke"]);
    out.rows.push(
      judged(
        `final approve with grants taking ${opts.slowGrantMs} ms each`,
        `${show(slow2)} vs ${show(normal2)} with fast grants`,
        `p99 < ${opts.slowGrantMs} ms`,
        slow2.p99 < opts.slowGrantMs,
      ),
      {
        metric: "requests delivered",
        value: `${normalDelivered}/${perPhase} normal, ${slowDelivered}/${perPhase} slow`,
      },
      {
        metric: "RSS of this process (bot, channel and driver together; the bot's own: section 4), steady",
        value: `${memory.steadyMb} MB (peak ${memory.peakMb} MB); after a full GC: RSS ${Math.round(after.rss / 2 ** 20)} MB, heap used ${Math.round(after.heapUsed / 2 ** 20)} MB`,
      },
    );
    out.notes.push(
      "Latencies are measured at the local channel: one HTTP POST to /api/messages until the bot's answer, including the bot's own calls back to the channel during the turn.",
      `With slow grants the package's 4 grants take ${fmt((4 * opts.slowGrantMs) / 1000)} s after the answer; the invoke does not wait for them.`,
      `${opts.concurrency} employees run at once, but an approver can only click once the card has reached them, so fewer than ${opts.concurrency} invokes are in flight at a time, and the bot shares this process with the channel and the driver: these latencies are not compared with the echo bot here. Section 4 compares approve and echo invokes like with like (each bot in its own process, C=1 and C=${opts.concurrency} fired at once) and measures the bot's own RSS.`,
    );
  } finally {
    await h.close();
  }
}
