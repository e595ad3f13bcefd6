import type { Persona, RecordedActivity } from "./types";
import { ADAPTIVE_CARD } from "./types";

/** One message as the chat page shows it to a viewer. */
export interface MessageView {
  id: string;
  from: "bot" | "user";
  fromName: string;
  timestamp?: string;
  text?: string;
  textFormat?: string;
  /** The adaptive cards of the message, as this viewer sees them. */
  cards: Record<string, unknown>[];
  /** Whether the viewer's copy came from an invoke answer or a refresh (not the sent card). */
  personalView: boolean;
  /** The page should ask the bot for this viewer's view (Teams' automatic `refresh`). */
  needsRefresh?: { verb: string; data: unknown };
  version: number;
  edited: boolean;
  deleted: boolean;
  threadRootId?: string;
}

interface Attachment {
  contentType?: string;
  content?: unknown;
}

type Card = Record<string, unknown> & {
  refresh?: { action?: { type?: string; verb?: string; data?: unknown }; userIds?: string[] };
};

/** Teams refreshes automatically for the users listed (MRIs or object ids); no list means everyone. */
function refreshFor(card: Card, viewer: string): { verb: string; data: unknown } | undefined {
  const action = card.refresh?.action;
  if (!action || action.type !== "Action.Execute" || !action.verb) return undefined;
  const ids = card.refresh?.userIds;
  if (ids && !ids.includes(viewer) && !ids.includes(`29:${viewer}`)) return undefined;
  return { verb: action.verb, data: action.data ?? {} };
}

export function messageView(a: RecordedActivity, viewer: string, personas: Persona[]): MessageView {
  const act = a.activity as {
    text?: string;
    textFormat?: string;
    timestamp?: string;
    attachments?: Attachment[];
  };
  const sent = (act.attachments ?? [])
    .filter((x) => x.contentType === ADAPTIVE_CARD && x.content && typeof x.content === "object")
    .map((x) => x.content as Card);
  // A view is current only if it answers the latest version of the card.
  const view = a.views[viewer];
  const personalView = !!view && view.version >= a.version && sent.length > 0;
  const cards = personalView ? [view.card, ...sent.slice(1)] : sent;
  const refresh = !personalView && sent[0] ? refreshFor(sent[0], viewer) : undefined;
  const fromName =
    a.from === "bot"
      ? "Access Desk"
      : (personas.find((p) => p.id === a.userId)?.displayName ?? a.userId ?? "");
  const out: MessageView = {
    id: a.id,
    from: a.from,
    fromName,
    cards,
    personalView,
    version: a.version,
    edited: a.version > 1,
    deleted: a.deleted,
  };
  if (act.timestamp) out.timestamp = act.timestamp;
  if (!a.deleted && act.text) out.text = act.text;
  if (act.textFormat) out.textFormat = act.textFormat;
  if (a.deleted) out.cards = [];
  if (refresh && !a.deleted) out.needsRefresh = refresh;
  if (a.threadRootId) out.threadRootId = a.threadRootId;
  return out;
}
