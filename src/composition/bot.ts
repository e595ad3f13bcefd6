import type { AppDeps } from "../app/deps";
import { NotificationSink } from "../app/notify/notification-sink";
import { AnswersFirst } from "../app/notify/answers-first";
import { type ApprovalDigestSettings, DEFAULT_APPROVAL_DIGEST } from "../app/notify/approval-digests";
import { type BotAuthentication, createTeamsAdapter } from "../adapters/teams/bot-auth";
import { RememberedReferences } from "../adapters/cache/remembered-references";
import { RecentConflicts } from "../app/queries/approval-card";
import { CachedDelegations } from "../adapters/cache/cached-delegations";
import { pacedReplies } from "../adapters/teams/paced-replies";
import { ConversationPacer, type PacingOptions } from "../adapters/teams/pacing";
import { TeamsNotifier } from "../adapters/teams/teams-notifier";
import { LocalSentMessages } from "../adapters/teams/local-sent-messages";
import type { SentMessageFinder } from "../ports/sent-messages";
import { type Bot, type HandlerDeps, createBot } from "../bot";
import type { AppInstaller } from "../ports/app-installer";
import type { ConversationStore } from "../ports/conversations";
import type { DeliveryLog } from "../ports/deliveries";
import { notificationViews } from "../views/notification-views";
import type { StepUpDeps } from "../ports/step-up";
import type { StepUpSignIn } from "../bot/step-up/sign-in";
import { redeemAuditLink } from "../app/admin/audit-link";
import { escalateUnreachable } from "../app/escalate-unreachable";
import type { AuditDownload } from "../http/audit-download";

export interface BotSettings {
  /** Empty in local mode: no token checks, no tokens sent. */
  appId: string;
  appPassword?: string;
  appType?: string;
  tenantId?: string;
  /** Where to open conversations nobody saved yet (the local channel, or the Teams service URL). */
  serviceUrl?: string;
  /** Installs the app for people Teams refuses a first message to (Graph mode with TEAMS_APP_CATALOG_ID). */
  installer?: AppInstaller;
  /** This bot's public base URL, for signed download links (PUBLIC_URL). */
  publicUrl?: string;
  /** Bot Framework endpoints and credentials; default: Microsoft's public cloud (see bot-auth.ts). */
  authentication?: BotAuthentication;
  /** Step-up for sensitive approvals: token checks and proofs, and where sign-in tokens come from. */
  stepUp?: { deps: StepUpDeps; signIn: StepUpSignIn; connectionName?: string };
  /** Approval cards for a busy approver coalesced into one digest; off unless set (see approval-digests.ts). */
  approvalDigest?: Partial<ApprovalDigestSettings>;
  /** Teams' rate limits as the pacer keeps them; default: just under Teams' own (see pacing.ts). */
  pacing?: Partial<PacingOptions>;
  /**
   * Where a batch run again looks for a message whose delivery-log row was lost: Graph in a real
   * tenant (with TEAMS_APP_CATALOG_ID); in local mode (no app id) the local channel at `serviceUrl`.
   */
  sentMessages?: SentMessageFinder;
  /** The turns being answered; give the same to the table stores (`afterAnswers`). Default: the bot's own. */
  answersFirst?: AnswersFirst;
}

/** The use cases' dependencies but their event sink, which is built here. */
export type BotDeps = Omit<AppDeps, "events"> & {
  conversations: ConversationStore;
  deliveries: DeliveryLog;
  bot: BotSettings;
};

export interface WiredBot extends Bot {
  /** The use cases' dependencies with `events` set to the notification sink: give these to the scheduler too. */
  deps: HandlerDeps;
  /** Where the use cases publish; `drain()` waits for queued notifications (tests, shutdown). */
  events: NotificationSink;
  notifier: TeamsNotifier;
  adapter: ReturnType<typeof createTeamsAdapter>;
  /** Spends a signed audit download link (`GET /audit/download?t=<token>`). */
  auditDownload: AuditDownload;
}

/**
 * The Teams side, wired: the adapter, the notifier that sends through it, the notification sink the
 * use cases publish to, and the bot endpoint. The composition root and the tests build it here.
 */
export function buildBot(input: BotDeps): WiredBot {
  const { bot: settings, ...given } = input;
  // A person's conversation reference is written when it changed, not on every message and click.
  const base = {
    ...given,
    conversations: new RememberedReferences(given.conversations),
    // Who delegated is asked on every approval card and click: one read per process every 30 s.
    delegations:
      given.delegations instanceof CachedDelegations || !given.delegations
        ? given.delegations
        : new CachedDelegations(given.delegations),
    // The clicker's answer and the notices of one transition render the same request revision.
    recentConflicts: new RecentConflicts(),
  };
  const adapter = createTeamsAdapter(settings, settings.authentication);
  // One pacer for every call into a conversation: proactive sends and a turn's own replies.
  const pacer = new ConversationPacer(settings.pacing);
  adapter.use(pacedReplies(pacer));
  const notifier = new TeamsNotifier({
    pacer,
    adapter,
    appId: settings.appId,
    tenantId: settings.tenantId,
    conversations: base.conversations,
    logger: base.logger,
    defaultServiceUrl: settings.serviceUrl,
    installer: settings.installer,
  });
  // Notices of a burst of clicks start once the clicks are answered (docs/decisions.md).
  const answersFirst = settings.answersFirst ?? new AnswersFirst();
  const events = new NotificationSink({
    answersFirst,
    sources: base,
    notifier,
    views: notificationViews,
    deliveries: base.deliveries,
    due: base.due,
    audit: base.audit,
    logger: base.logger,
    // Approval cards nobody of a stage could get: its fallback approvers step in (deps is set below).
    unreachableApprovers: (refused) => escalateUnreachable(deps, refused),
    sentMessages: settings.sentMessages ?? localSentMessages(settings),
    ...(settings.approvalDigest
      ? { digest: { ...DEFAULT_APPROVAL_DIGEST, ...settings.approvalDigest } }
      : {}),
  });
  const deps: HandlerDeps = {
    ...base,
    events,
    botAppId: settings.appId,
    publicUrl: settings.publicUrl,
    // The notification sink keeps a batch due until its audit rows are in (see applyEffects).
    auditAfterAnswer: true,
    answersFirst,
  };
  if (settings.stepUp) {
    deps.stepUp = settings.stepUp.deps;
    deps.stepUpSignIn = settings.stepUp.signIn;
    deps.stepUpConnectionName = settings.stepUp.connectionName;
  }
  const bot = createBot({
    deps,
    adapter,
    appId: settings.appId,
    serviceUrl: settings.serviceUrl,
    answersFirst,
  });
  const auditDownload: AuditDownload = (token) => redeemAuditLink(deps, token);
  return { ...bot, deps, events, notifier, adapter, auditDownload };
}

/** Local mode (no app id): the chat is the local channel, which answers reads of what the bot posted. */
function localSentMessages(settings: BotSettings): SentMessageFinder | undefined {
  return settings.appId === "" && settings.serviceUrl
    ? new LocalSentMessages(settings.serviceUrl)
    : undefined;
}
