import { fmt, percentile } from "./measure";
import { judged, type Section } from "./report";

export interface LagOptions {
  /** Quiet conversations, each told one message a second. */
  quiet: number;
  /** How long each phase publishes quiet messages. */
  phaseSeconds: number;
  /** Messages queued at once to the noisy conversation when its phase starts. */
  noisy: number;
}

const TARGET_P99_MS = 1500;

export interface PhaseResult {
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

/** The section's rows and notes: each phase's quiet lag against the baseline's, and what it leaves out. */
export function lagRows(
  opts: LagOptions,
  {
    baseline,
    saturated,
    hung: hungPhase,
  }: { baseline: PhaseResult; saturated: PhaseResult; hung: PhaseResult },
  out: Section,
): void {
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
}
