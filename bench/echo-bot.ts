import { Application, TeamsAdapter, type TurnState } from "@microsoft/teams-ai";
import type { Request, Response } from "restify";

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
  return {
    async handleMessages(req, res) {
      await adapter.process(req, res, async (context) => {
        await app.run(context);
      });
    },
  };
}
