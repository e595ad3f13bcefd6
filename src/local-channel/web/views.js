/* global document */
// DOM builders for the page: persona and channel buttons, messages, groups.
import { renderMarkdown } from "./markdown.js";

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function unreadBadge(id, count) {
  return count > 0
    ? el("span", { class: "badge", "data-testid": `unread-${id}`, text: String(count) })
    : null;
}

function initials(name) {
  return name
    .split(/\s+/)
    .map((part) => part[0] ?? "")
    .join("")
    .slice(0, 2)
    .toUpperCase();
}

export function personaButton(persona, active, onClick) {
  const label = `${persona.displayName}, ${persona.role}${persona.unread ? `, ${persona.unread} unread` : ""}`;
  return el(
    "li",
    {},
    el(
      "button",
      {
        class: "nav-button",
        type: "button",
        "data-testid": `persona-${persona.id}`,
        "aria-current": active ? "true" : undefined,
        "aria-label": label,
        onclick: onClick,
      },
      el("span", { class: "avatar", "aria-hidden": "true", text: initials(persona.displayName) }),
      el(
        "span",
        { class: "nav-text" },
        el("span", { class: "nav-name", text: persona.displayName }),
        el("span", { class: "nav-role", text: persona.role }),
      ),
      unreadBadge(persona.id, persona.unread),
    ),
  );
}

export function channelButton(team, channel, active, onClick) {
  return el(
    "li",
    {},
    el(
      "button",
      {
        class: "nav-button",
        type: "button",
        "data-testid": `channel-${channel.id}`,
        "aria-current": active ? "true" : undefined,
        "aria-label": `${team.name}, channel ${channel.name}${channel.unread ? `, ${channel.unread} unread` : ""}`,
        onclick: onClick,
      },
      el("span", { class: "avatar channel-avatar", "aria-hidden": "true", text: "#" }),
      el(
        "span",
        { class: "nav-text" },
        el("span", { class: "nav-name", text: channel.name }),
        el("span", { class: "nav-role", text: team.name }),
      ),
      unreadBadge(channel.id, channel.unread),
    ),
  );
}

function time(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ""
    : date.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}

/** One message; `renderCard(card, message)` builds each adaptive card of a bot message. */
export function messageElement(message, renderCard) {
  const mine = message.from === "user";
  const meta = el(
    "header",
    { class: "meta" },
    el("span", { class: "author", text: message.fromName }),
    el("time", { datetime: message.timestamp, text: time(message.timestamp) }),
    message.edited && !message.deleted ? el("span", { class: "edited", text: "Edited" }) : null,
  );
  const body = el("div", { class: "bubble" });
  if (message.deleted) body.append(el("p", { class: "deleted", text: "This message has been deleted." }));
  if (message.text && mine) body.append(el("p", { class: "plain", text: message.text }));
  if (message.text && !mine) {
    const text = el("div", { class: "markdown" });
    // renderMarkdown escapes all HTML before adding its own tags.
    text.innerHTML = renderMarkdown(message.text);
    body.append(text);
  }
  message.cards.forEach((card, i) => {
    const testId = i === 0 ? `card-${message.id}` : `card-${message.id}-${i}`;
    body.append(el("div", { class: "card", "data-testid": testId }, renderCard(card, message)));
  });
  return el(
    "article",
    {
      class: `message ${mine ? "mine" : "theirs"}${message.threadRootId ? " reply" : ""}`,
      "data-testid": `message-${message.id}`,
      "aria-label": `${message.fromName}${message.timestamp ? `, ${time(message.timestamp)}` : ""}`,
    },
    meta,
    body,
  );
}

export function groupsList(result) {
  if (!result.available) return [el("li", { class: "muted", text: "No directory connected." })];
  if (result.groups.length === 0) return [el("li", { class: "muted", text: "Not a member of any group." })];
  return result.groups.map((g) => el("li", { "data-testid": `group-${g.id}`, text: g.displayName }));
}
