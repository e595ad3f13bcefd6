import { Application, type TeamsAdapter, type TurnState } from "@microsoft/teams-ai";
import type { Request, Response } from "restify";
import { AnswersFirst } from "../app/notify/answers-first";
import { registerActions } from "./actions";
import { onMembersAdded } from "./install";
import { guardInvoke } from "./invoke-guard";
import { localServiceUrlProblem } from "./local-service-url";
import { onMessage } from "./messages";
import type { HandlerDeps } from "./turn";

export type { HandlerDeps };

export interface BotOptions {
  /** The use cases' dependencies (their event sink included) and the conversation store. */
  deps: HandlerDeps;
  /** The Teams adapter the composition root built (it checks tokens when an app id is set). */
  adapter: TeamsAdapter;
  /** Empty in local mode: no token checks, no tokens sent. */
  appId: string;
  /** The configured service URL (the local channel): besides loopback, the one local mode accepts. */
  serviceUrl?: string;
  /** Counts the turns being answered, so notices wait for them (see AnswersFirst). */
  answersFirst?: AnswersFirst;
}

export interface Bot {
  /** Mount on `POST /api/messages`. */
  handleMessages(req: Request, res: Response): Promise<void>;
}

/** The teams-ai application with every route; tests run it on botbuilder's TestAdapter. */
export function createApplication(
  deps: HandlerDeps,
  adapter?: TeamsAdapter,
  appId = "",
): Application<TurnState> {
  const app = new Application<TurnState>({
    ...(adapter ? { adapter } : {}),
    botAppId: appId,
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });
  app.conversationUpdate("membersAdded", (context) => onMembersAdded(deps, context));
  app.activity("message", (context) => onMessage(deps, context));
  registerActions(app, deps);
  app.error(async (context, error) => {
    deps.logger.error({ err: error, type: context.activity.type }, "unhandled error in a turn");
  });
  return app;
}

/** The bot endpoint: routes every activity the adapter accepts to the teams-ai application. */
export function createBot(options: BotOptions): Bot {
  const { deps, adapter, appId, serviceUrl } = options;
  const answersFirst = options.answersFirst ?? new AnswersFirst();
  const app = createApplication(deps, adapter, appId);
  return {
    async handleMessages(req, res) {
      if (!appId) {
        // No token check in local mode: refuse to post anywhere but this machine.
        const body = req.body as { serviceUrl?: unknown } | undefined;
        const problem = localServiceUrlProblem(body?.serviceUrl, serviceUrl);
        if (problem) {
          deps.logger.warn({ serviceUrl: body?.serviceUrl }, "refused a local-mode activity");
          res.send(400, { error: { code: "BadRequest", message: problem } });
          return;
        }
      }
      await answersFirst.answer(() =>
        adapter.process(req, res, (context) => guardInvoke(deps, context, () => app.run(context))),
      );
    },
  };
}
