import { Application, TeamsAdapter, type TurnState } from "@microsoft/teams-ai";
import type { Request, Response } from "restify";
import type { AppDeps } from "../app/deps";
import type { ConversationStore } from "../ports/conversations";
import type { Notifier } from "../ports/notifier";
import {
  type BotAuthentication,
  createTeamsAdapter,
  localServiceUrlProblem,
} from "../adapters/teams/bot-auth";
import { NotificationSink } from "../adapters/teams/notification-sink";
import { TeamsNotifier } from "../adapters/teams/teams-notifier";
import { registerActions } from "./actions";
import { onMembersAdded } from "./install";
import { guardInvoke } from "./invoke-guard";
import { onMessage } from "./messages";
import type { HandlerDeps } from "./turn";

export type { HandlerDeps };

export interface BotSettings {
  /** Empty in local mode: no token checks, no tokens sent. */
  appId: string;
  appPassword?: string;
  appType?: string;
  tenantId?: string;
  /** Where to open conversations nobody saved yet (the local channel, or the Teams service URL). */
  serviceUrl?: string;
  /** Bot Framework endpoints and credentials; default: Microsoft's public cloud (see bot-auth.ts). */
  authentication?: BotAuthentication;
}

/** Everything the bot needs; `events` is optional because the bot builds the sink the use cases publish to. */
export type BotDeps = Omit<AppDeps, "events"> & {
  events?: AppDeps["events"];
  conversations: ConversationStore;
  bot: BotSettings;
  clockNow?: () => Date;
};

export interface Bot {
  /** Mount on `POST /api/messages`. */
  handleMessages(req: Request, res: Response): Promise<void>;
  notifier: Notifier;
  /** The event sink to give the use cases (already wired into `deps`). */
  events: NotificationSink;
  /** The use cases' dependencies with `events` set to the sink: give these to the scheduler too. */
  deps: AppDeps & { conversations: ConversationStore };
  adapter: TeamsAdapter;
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

/**
 * Builds the Teams bot: adapter, routes, notifier and the event sink. The composition root passes
 * its dependencies without `events` and uses `bot.deps` wherever use cases run.
 */
export function createBot(input: BotDeps): Bot {
  const { bot: settings, clockNow, events: _ignored, ...rest } = input;
  const adapter = createTeamsAdapter(settings, settings.authentication);
  const clock = clockNow ? { now: clockNow } : rest.clock;
  const notifier = new TeamsNotifier({
    adapter,
    appId: settings.appId,
    tenantId: settings.tenantId,
    conversations: rest.conversations,
    logger: rest.logger,
    defaultServiceUrl: settings.serviceUrl,
  });
  // Late binding: the sink reads the stores, the use cases publish to the sink.
  const deps: HandlerDeps = { ...rest, clock, events: { publish: async () => undefined } };
  const sink = new NotificationSink({ sources: deps, notifier, logger: rest.logger });
  deps.events = input.events ?? sink;

  const app = createApplication(deps, adapter, settings.appId);

  return {
    async handleMessages(req, res) {
      if (!settings.appId) {
        // No token check in local mode: refuse to post anywhere but this machine.
        const body = req.body as { serviceUrl?: unknown } | undefined;
        const problem = localServiceUrlProblem(body?.serviceUrl, settings.serviceUrl);
        if (problem) {
          rest.logger.warn({ serviceUrl: body?.serviceUrl }, "refused a local-mode activity");
          res.send(400, { error: { code: "BadRequest", message: problem } });
          return;
        }
      }
      await adapter.process(req, res, (context) => guardInvoke(deps, context, () => app.run(context)));
    },
    notifier,
    events: sink,
    deps,
    adapter,
  };
}
