import type { AccessRequest, Assignment, ChannelRef } from "../../domain/model";
import type { OutgoingCard } from "../../ports/notifier";
import type { ViewContext } from "../../ports/read-models";
import type { Dispatch } from "./dispatch";

/** The requester hears it, and the person the access is for when someone asked on their behalf. */
export function toRequester(request: AccessRequest, message: OutgoingCard, d: Dispatch): void {
  const to = request.requesterId === "system" ? request.targetUserId : request.requesterId;
  d.send(to, message);
  if (request.targetUserId !== to) d.send(request.targetUserId, message);
}

/** The package's channel, else its catalog's; none configured, nothing is posted. */
export function toChannel(a: Assignment, ctx: ViewContext, message: OutgoingCard, d: Dispatch): void {
  const channel: ChannelRef | undefined =
    ctx.index.package(a.packageId)?.channel ?? ctx.index.catalogOfPackage(a.packageId)?.channel;
  if (channel) d.channel(channel, message);
}
