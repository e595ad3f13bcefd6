import { createLifecycleHandlers } from "../../../src/app/lifecycle";
import { createScheduler, type Scheduler, type DueHandlers } from "../../../src/scheduler";
import type { World } from "./world";

export function schedulerFor(
  world: World,
  instanceId = "sweeper-1",
  handlers: DueHandlers = createLifecycleHandlers(),
): Scheduler {
  return createScheduler({
    deps: world.deps,
    leases: world.stores.leases,
    handlers,
    instanceId,
    batchSize: 100,
    claimMs: 60_000,
    leaseMs: 30_000,
    jitterMs: 0,
  });
}

/** Sweeps until nothing more is due at the current time. */
export async function drain(scheduler: Scheduler): Promise<number> {
  let done = 0;
  for (let i = 0; i < 20; i += 1) {
    const r = await scheduler.sweepOnce();
    done += r.done;
    if (r.claimed === 0) break;
  }
  return done;
}

/** Moves the clock to `at` in steps, draining due work at each step (as a running loop would). */
export async function runUntil(
  world: World,
  scheduler: Scheduler,
  at: string,
  stepMs = 3_600_000,
): Promise<void> {
  const target = Date.parse(at);
  while (world.clock.now().getTime() < target) {
    world.clock.set(new Date(Math.min(target, world.clock.now().getTime() + stepMs)));
    await drain(scheduler);
  }
}
