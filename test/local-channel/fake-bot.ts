import type { AddressInfo } from "node:net";
import * as restify from "restify";
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type TurnContext,
} from "botbuilder";

export interface FakeBot {
  endpoint: string;
  adapter: CloudAdapter;
  /** Every activity the bot received, in order. */
  received: Partial<Activity>[];
  close(): Promise<void>;
}

/**
 * A tiny bot on loopback using botbuilder's real CloudAdapter with an empty app id (no tokens), so
 * every outgoing call is the real Bot Connector client talking to the local channel.
 */
export async function startFakeBot(
  logic: (context: TurnContext, adapter: CloudAdapter) => Promise<void>,
  adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: "" })),
): Promise<FakeBot> {
  adapter.onTurnError = async (_context, error) => {
    console.error("fake bot turn error:", error);
    throw error;
  };
  const received: Partial<Activity>[] = [];
  const server = restify.createServer({ handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser());
  server.post("/api/messages", async (req, res) => {
    received.push(req.body as Partial<Activity>);
    await adapter.process(req, res, (context) => logic(context, adapter));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}/api/messages`,
    adapter,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A minimal Adaptive Card with one Action.Execute and one text input. */
export function sampleCard(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    body: [
      { type: "TextBlock", text: title, weight: "Bolder", wrap: true },
      { type: "Input.Text", id: "comment", label: "Comment", placeholder: "Why?" },
    ],
    actions: [{ type: "Action.Execute", title: "Approve", verb: "approve", data: { requestId: "req_1" } }],
    ...extra,
  };
}
