import type { TurnContext } from "botbuilder";
import { setCatalogChannel } from "../app/set-catalog-channel";
import { errorView } from "../views/error";
import { noticeView } from "../views/notices";
import { type HandlerDeps, actorOf, sendCard } from "./turn";

const HERE = /\b(?:here|this channel)\b/i;

/**
 * A message in a team channel. The one command there: a catalog owner asks for the catalog's
 * access notices in this channel ("@Access Desk post Sales notices here"). Everything else gets a
 * pointer to the personal chat, where requests are made.
 */
export async function onChannelMessage(deps: HandlerDeps, context: TurnContext, text: string): Promise<void> {
  const actorId = actorOf(context);
  const team = context.activity.channelData?.team as { id?: string } | undefined;
  const channel = context.activity.channelData?.channel as { id?: string; name?: string } | undefined;
  const catalogs = (await deps.governance.load()).catalogs;
  const named = catalogs.find((c) => new RegExp(`\\b${escape(c.name)}\\b`, "i").test(text));
  if (!actorId || !team?.id || !channel?.id || !HERE.test(text) || !named) {
    await sendCard(
      context,
      noticeView("Access Desk in this channel", [
        "Ask for access in a personal chat with me.",
        `A catalog owner can send a catalog's access notices here: "@Access Desk post ${named?.name ?? catalogs[0]?.name ?? "Sales"} notices here".`,
      ]),
    );
    return;
  }
  const result = await setCatalogChannel(deps, {
    actorId,
    catalog: named.id,
    channel: { teamId: team.id, channelId: channel.id, name: channel.name ?? "this channel" },
    source: "chat:channel",
  });
  await sendCard(
    context,
    result.ok
      ? noticeView("Notices go here now", [
          `Access delivered or removed in the ${result.value.catalog.name} catalog will be announced in this channel.`,
        ])
      : errorView(result.error),
  );
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
