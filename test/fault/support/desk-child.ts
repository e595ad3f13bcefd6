/**
 * An Access Desk process for the fault suite, driven over stdin so it can be started ahead of time
 * (loading takes seconds) and told when to begin. Lines in (JSON):
 *   {"cmd":"start"}                           start sweeping (the process "starts" here)
 *   {"cmd":"work","submit":[0],"approve":[0]} run the workload (desk.ts) until delivered
 *                                             ("until":"decided": until nobody has to act)
 *   {"cmd":"advance","ms":360000}             move the clock on
 * Lines out: READY (tables seeded, modules loaded), STARTED, ACTION <json> per action,
 * WORKED <json>, ADVANCED, HANDLED <json> per due item a handler finished.
 *
 * Environment: FAULT_CONN, FAULT_PREFIX, FAULT_CONNECTOR, FAULT_EMPLOYEES, FAULT_CLOCK_OFFSET_MS,
 * FAULT_LEASE, FAULT_SWEEP_MS (optional), FAULT_SEED ("1": create the tables and the configuration first).
 */
import { createInterface } from "node:readline";
import { createDesk } from "./desk";

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const desk = createDesk({
    connectionString: env("FAULT_CONN"),
    prefix: env("FAULT_PREFIX"),
    connector: env("FAULT_CONNECTOR"),
    employees: Number(env("FAULT_EMPLOYEES")),
    clockOffsetMs: Number(env("FAULT_CLOCK_OFFSET_MS")),
    leaseName: process.env.FAULT_LEASE || undefined,
    sweepMs: process.env.FAULT_SWEEP_MS ? Number(process.env.FAULT_SWEEP_MS) : undefined,
    onHandled: (item) =>
      say(
        `HANDLED ${JSON.stringify({ kind: item.kind, subjectId: item.subjectId, discriminator: item.discriminator, dueAt: item.dueAt })}`,
      ),
  });
  if (process.env.FAULT_SEED === "1") await desk.seed();
  const lines = createInterface({ input: process.stdin });
  say("READY");
  for await (const line of lines) {
    if (!line.trim()) continue;
    const command = JSON.parse(line) as {
      cmd: string;
      submit?: number[];
      approve?: number[];
      until?: "delivered" | "decided";
      ms?: number;
    };
    if (command.cmd === "start") {
      desk.start();
      say("STARTED");
    } else if (command.cmd === "work") {
      // Not awaited: the process keeps reading commands (an advance while a request waits).
      void desk
        .work({ submit: command.submit ?? [], approve: command.approve ?? [], until: command.until }, (o) =>
          say(`ACTION ${JSON.stringify(o)}`),
        )
        .then((outcomes) => say(`WORKED ${JSON.stringify({ actions: outcomes.length })}`));
    } else if (command.cmd === "advance") {
      desk.clock.advance(command.ms ?? 0);
      say("ADVANCED");
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
