import { Application, TeamsAdapter, type TurnState } from "@microsoft/teams-ai";
import type { Request, Response } from "restify";
import { createLocalChannel } from "../src/local-channel";
import { serveMessages } from "../test/support/over-http";
import { expectOk, stats, timed, type Latencies } from "./latency";
import { runConcurrently } from "./measure";

/** The bare minimum Teams bot: teams-ai with an empty app id, answering each message with its text. */
export function createEchoBot(): { handleMessages(req: Request, res: Response): Promise<void> } {
  const adapter = new TeamsAdapter({
    MicrosoftAppId: "",
    MicrosoftAppPassword: "",
    MicrosoftAppType: "",
    MicrosoftAppTenantId: "",
  });
  const app = new Application<TurnState>({
    adapter,
    botAppId: "",
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });
  app.activity("message", async (context) => {
    await context.sendActivity(`echo: ${context.activity.text ?? ""}`);
  });
  // A card click answered with a card, as the approve button is: the floor for an invoke.
  app.adaptiveCards.actionExecute("approval.approve", async (_context, _state, data) => ({
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    body: [{ type: "TextBlock", text: `Approved ${JSON.stringify(data).slice(0, 80)}`, wrap: true }],
  }));
  return {
    async handleMessages(req, res) {
      await adapter.process(req, res, async (context) => {
        await app.run(context);
      });
    },
  };
}

/** The bare echo bot on the same server stack: the floor for a turn over HTTP. */
export async function measureEcho(count: number, concurrency: number) {
  const channel = createLocalChannel({ botEndpoint: "http://127.0.0.1:1/api/messages" });
  await channel.listen();
  const served = await serveMessages(createEchoBot().handleMessages);
  channel.botEndpoint = served.endpoint;
  try {
    const users = Array.from({ length: concurrency }, (_, i) => `echo-user-${i}`);
    for (const u of users) await channel.install(u);
    const into: Latencies = {};
    const say = (i: number, label: string) => async () => {
      const result = await timed(into, label, () => channel.say(users[i % users.length]!, `hello ${i}`));
      expectOk("echo", result);
    };
    await runConcurrently(Math.min(100, count), concurrency, (i) => say(i, "warm-up")());
    const run = await runConcurrently(count, concurrency, (i) => say(i, "echo")());
    return { ...stats(into.echo), perSecond: run.perSecond };
  } finally {
    await served.close();
    await channel.close();
  }
}
