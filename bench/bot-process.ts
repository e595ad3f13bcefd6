/**
 * The Access Desk bot alone in its own process, for the end-to-end section (bench/e2e.ts): table
 * stores at BENCH_BOT_STORAGE (the counting proxy in front of the benchmark's Azurite), the bench
 * organisation, the composition root's bot (`buildBot`, the governance cache as in production),
 * behind the project's restify server on loopback, calling the connector at BENCH_BOT_SERVICE_URL.
 * With BENCH_BOT_DIGEST=1 approval cards for a busy approver are coalesced into digests, as in
 * production. It prints `{"url": ...}` once it listens, and `{"answered": <ms since the epoch>}` each
 * time it starts writing an answer to /api/messages (the moment a step's answer is ready: requests
 * it has not waited for may end after this, however late the driver reads the answer). With
 * BENCH_BOT_ECHO=1 it is the bare echo bot instead, stamping its answers the same way.
 */
import "../src/dev/packages-without-source-maps"; // first: see there
import { AnswersFirst } from "../src/app/notify/answers-first";
import { LocalDirectory, LocalProvisioner, MemoryMembershipStore } from "../src/adapters/local-directory";
import { systemClock } from "../src/adapters/runtime/clock";
import { RandomIds } from "../src/adapters/runtime/ids";
import { serveMessages } from "../test/support/over-http";
import { tableStoresOn } from "../test/support/stores";
import { buildBotWorld } from "../test/support/world";
import { createEchoBot } from "./echo-bot";
import { stampAnswers } from "./answer-times";
import { benchOrganization } from "./fixtures";

async function main(): Promise<void> {
  const env = process.env;
  if (env.BENCH_BOT_ECHO === "1") {
    const served = await serveMessages(stampAnswers(createEchoBot().handleMessages));
    console.log(JSON.stringify({ url: served.url }));
    return;
  }
  const { organization } = benchOrganization(Number(env.BENCH_BOT_PEOPLE), {
    perManager: Number(env.BENCH_BOT_PER_MANAGER),
    oneManagerFrom: Number(env.BENCH_BOT_ONE_MANAGER_FROM),
  });
  // As main.ts wires them: the stores' dropped index rows wait for the answers, like the notices.
  const answersFirst = new AnswersFirst();
  const stores = tableStoresOn(env.BENCH_BOT_STORAGE!, {
    tablePrefix: env.BENCH_BOT_PREFIX!,
    afterAnswers: answersFirst,
  });
  const directory = new LocalDirectory(organization, new MemoryMembershipStore());
  const world = buildBotWorld({
    stores,
    directory,
    provisioner: new LocalProvisioner(directory),
    clock: systemClock,
    ids: new RandomIds(systemClock),
    cachedGovernance: true,
    bot: {
      serviceUrl: env.BENCH_BOT_SERVICE_URL!,
      answersFirst,
      // BENCH_BOT_DIGEST=1: approval digests as production's defaults have them (APPROVAL_DIGEST_*).
      ...(env.BENCH_BOT_DIGEST === "1" ? { approvalDigest: {} } : {}),
    },
  });
  const served = await serveMessages(stampAnswers(world.bot.handleMessages));
  console.log(JSON.stringify({ url: served.url }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
