import { TeamsInfo, type TurnContext, TurnContext as Turn } from "botbuilder";
import type { TeamChannel } from "../ports/conversations";
import { approvalsDigest } from "../app/queries/approvals-digest";
import { approvalsDigestView } from "../views/approvals-digest";
import { welcomeView } from "../views/welcome";
import { actorOf, type HandlerDeps, saveReference, sendCard, unexpected } from "./turn";

/** The bot was added: in a personal chat say hello; in a team remember the team and its channels. */
export async function onMembersAdded(deps: HandlerDeps, context: TurnContext): Promise<void> {
  const botId = context.activity.recipient?.id;
  const botAdded = (context.activity.membersAdded ?? []).some((m) => m.id === botId);
  if (!botAdded) return;
  try {
    const conversationType = context.activity.conversation?.conversationType;
    if (conversationType === "channel" || context.activity.channelData?.team?.id) {
      await saveTeam(deps, context);
      return;
    }
    await saveReference(deps, context);
    await sendCard(context, welcomeView(context.activity.from?.name));
    await sendWaitingApprovals(deps, context);
  } catch (error) {
    await sendCard(context, unexpected(deps, error, "install"));
  }
}

/**
 * Someone who adds the app while requests wait for their approval (new, or back after removing it,
 * when Teams refused their cards) gets the list at once: the cards they missed are not sent again.
 */
async function sendWaitingApprovals(deps: HandlerDeps, context: TurnContext): Promise<void> {
  const userId = actorOf(context);
  if (!userId) return;
  try {
    const waiting = await approvalsDigest(deps, userId);
    if (waiting.requests.length > 0) await sendCard(context, approvalsDigestView(waiting));
  } catch (error) {
    // A convenience after the welcome: "my approvals" shows the same list.
    deps.logger.warn(
      { err: error, userId },
      "could not list the approvals waiting for someone who added the app",
    );
  }
}

async function saveTeam(deps: HandlerDeps, context: TurnContext): Promise<void> {
  const team = context.activity.channelData?.team as { id?: string; name?: string } | undefined;
  if (!team?.id) return;
  let channels: TeamChannel[] = [];
  try {
    const listed = await TeamsInfo.getTeamChannels(context, team.id);
    channels = listed
      .filter((c) => typeof c.id === "string")
      .map((c) => ({ teamId: team.id!, channelId: c.id!, name: c.name ?? "General" }));
  } catch (error) {
    // The channel list is a convenience; the team reference is what posting needs.
    deps.logger.warn({ err: error, teamId: team.id }, "could not list the team's channels");
    const channel = context.activity.channelData?.channel as { id?: string; name?: string } | undefined;
    if (channel?.id) channels = [{ teamId: team.id, channelId: channel.id, name: channel.name ?? "General" }];
  }
  const reference = Turn.getConversationReference(context.activity) as unknown as Record<string, unknown>;
  await deps.conversations.saveTeam(team.id, reference, channels);
}
