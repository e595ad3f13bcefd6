/* global document, window, setTimeout, clearTimeout */
// The local chat page: act as any persona in their 1:1 chat with the bot, read team channels,
// click cards (Action.Execute invokes), watch groups and the clock. Changes arrive over SSE.
import { api, subscribe } from "./api.js";
import { keepTypedValues, renderCard } from "./cards.js";
import { LOGIN_REQUEST, askSignIn } from "./sign-in.js";
import { channelButton, el, groupsList, messageElement, personaButton } from "./views.js";

const $ = (id) => document.getElementById(id);
const state = { personas: [], teams: [], clock: null, viewer: null, view: { kind: "chat" }, messageCount: 0 };
const rendered = new Map(); // message id -> { sig, node } for the open conversation and viewer
const refreshTried = new Set(); // `${id}:${version}:${viewer}`: one automatic refresh per card version
// Cards the viewer's own click just answered: drawn as the bot sent them, as Teams does, so a reason
// typed for that decision is not left in the box for the next one.
const answeredClicks = new Set();
let transcriptTicket = 0;
let latestLoad = Promise.resolve();
// After the viewer's own message or click: the message count then; a longer chat shows its newest.
let followFrom = null;

function setStatus(text, kind = "info") {
  const status = $("status");
  status.textContent = text;
  status.dataset.kind = kind;
}

const viewerPersona = () => state.personas.find((p) => p.id === state.viewer);
const conversationId = () =>
  state.view.kind === "chat" ? viewerPersona()?.conversationId : state.view.channelId;
const container = () => (state.view.kind === "chat" ? $("messages") : $("channel"));

function renderSidebar() {
  $("personas").replaceChildren(
    ...state.personas.map((p) =>
      personaButton(p, state.view.kind === "chat" && p.id === state.viewer, () => openChat(p.id)),
    ),
  );
  const channels = state.teams.flatMap((t) =>
    t.channels.map((c) =>
      channelButton(t, c, state.view.kind === "channel" && state.view.channelId === c.id, () =>
        openChannel(c.id),
      ),
    ),
  );
  $("channels").replaceChildren(
    ...(channels.length ? channels : [el("li", { class: "muted", text: "No team yet." })]),
  );
  $("clock-panel").hidden = !state.clock?.canAdvance;
  if (state.clock) $("clock-now").textContent = new Date(state.clock.now).toUTCString();
}

function renderHeader() {
  const persona = viewerPersona();
  const who = persona ? `${persona.displayName} (${persona.role})` : "nobody";
  const channel = state.teams
    .flatMap((t) => t.channels.map((c) => ({ t, c })))
    .find((x) => x.c.id === state.view.channelId);
  $("title").textContent = state.view.kind === "chat" ? "Access Desk" : `# ${channel?.c.name ?? "channel"}`;
  $("subtitle").textContent =
    state.view.kind === "chat" ? `Chat as ${who}` : `${channel?.t.name ?? ""}, viewed as ${who}`;
  $("messages").hidden = state.view.kind !== "chat";
  $("channel").hidden = state.view.kind !== "channel";
  $("composer-form").hidden = state.view.kind !== "chat";
  // A chat the bot already wrote in (a proactive message) has the app; only an empty one offers it.
  const chat = state.view.kind === "chat" && !!persona;
  $("install-banner").hidden = !chat || persona.installed || persona.removedApp || state.messageCount > 0;
  $("removed-banner").hidden = !chat || !persona.removedApp;
  $("remove-app").hidden = !chat || persona.removedApp;
  $("groups-owner").textContent = persona?.displayName ?? "";
}

async function loadState() {
  const next = await api.state();
  Object.assign(state, { personas: next.personas, teams: next.teams, clock: next.clock });
  if (!state.viewer || !viewerPersona()) state.viewer = state.personas[0]?.id ?? null;
  renderSidebar();
  renderHeader();
}

async function loadGroups() {
  if (!state.viewer) return;
  const result = await api.groups(state.viewer);
  $("groups-list").replaceChildren(...groupsList(result));
}

function cardFor(message) {
  return (card) =>
    renderCard(card, {
      onExecute: (verb, data) => execute(message, verb, data),
      onStatus: (text) => setStatus(text, "warning"),
    });
}

/** What the bot answered a click with, told in the status line (a card answer replaces the card). */
function showAnswer(status, body, done = "") {
  if (status >= 400 || body?.type === "application/vnd.microsoft.error") {
    setStatus(body?.value?.message ?? `The bot answered ${status}.`, "error");
  } else if (body?.type === "application/vnd.microsoft.activity.message") {
    setStatus(String(body.value ?? ""));
  } else {
    setStatus(done);
  }
}

/**
 * The bot asked for a sign-in (a login request): the dialog lets the viewer sign in, and the same
 * click goes again with the token, as Teams does. Resolves with whether a sign-in was sent.
 */
async function signInAndRetry(message, verb, data) {
  setStatus("Access Desk asks you to sign in.");
  const choice = await askSignIn(viewerPersona()?.displayName ?? "");
  if (choice !== "mfa" && choice !== "no-mfa") {
    setStatus("Sign-in cancelled. Nothing was recorded.");
    return false;
  }
  const mfa = choice === "mfa";
  setStatus("Signing in…");
  const { status, body } = await api.signIn(state.viewer, message.id, verb, data, mfa);
  if (body?.type === LOGIN_REQUEST) setStatus("The bot asked for a sign-in again. Try again.", "error");
  else showAnswer(status, body, `Signed in ${mfa ? "with" : "without"} MFA (simulated).`);
  return true;
}

async function execute(message, verb, data) {
  const holder = document.querySelector(`[data-testid="card-${message.id}"]`);
  holder?.setAttribute("aria-busy", "true");
  const countBefore = state.messageCount;
  let signedIn = false;
  setStatus("Sending…");
  // From now on the card is drawn as the bot answers it, even if its new version shows up (over the
  // event stream) before the click's own answer does; a click that is not answered with a card keeps
  // what was typed.
  answeredClicks.add(message.id);
  try {
    const { status, body } = await api.invoke(state.viewer, message.id, verb, data, "manual");
    if (status !== 200 || body?.type === LOGIN_REQUEST) answeredClicks.delete(message.id);
    if (body?.type === LOGIN_REQUEST) signedIn = await signInAndRetry(message, verb, data);
    else showAnswer(status, body);
  } catch (e) {
    answeredClicks.delete(message.id);
    setStatus(e.message, "error");
  } finally {
    holder?.removeAttribute("aria-busy");
    followFrom = countBefore;
    await loadTranscript();
    answeredClicks.delete(message.id);
  }
  // The card was drawn again from the bot's answer: keyboard users continue on its first button.
  if (signedIn) document.querySelector(`[data-testid="card-${message.id}"] button`)?.focus();
}

/** Teams asks the bot for the viewer's own view of a card whose refresh lists them. */
function refreshViews(messages) {
  for (const m of messages) {
    const key = `${m.id}:${m.version}:${state.viewer}`;
    if (!m.needsRefresh || refreshTried.has(key)) continue;
    refreshTried.add(key);
    const { verb, data } = m.needsRefresh;
    api.invoke(state.viewer, m.id, verb, data, "automatic").catch((e) => setStatus(e.message, "error"));
  }
}

/** Channel posts are shown with their thread replies right after them. */
function threadOrder(messages) {
  const roots = messages.filter((m) => !m.threadRootId || !messages.some((r) => r.id === m.threadRootId));
  return roots.flatMap((root) => [root, ...messages.filter((m) => m.threadRootId === root.id)]);
}

/** Draws the open conversation; resolves once the latest load started by then has drawn it. */
function loadTranscript() {
  latestLoad = drawTranscript();
  return latestLoad;
}

async function drawTranscript() {
  const id = conversationId();
  if (!id) return;
  const ticket = ++transcriptTicket;
  const { messages } = await api.transcript(id, state.viewer);
  // A newer load is on its way: wait for it, so a caller (a click) knows its card has been drawn.
  if (ticket !== transcriptTicket) return latestLoad;
  state.messageCount = messages.length;
  const list = container();
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const ordered = state.view.kind === "channel" ? threadOrder(messages) : messages;
  const refocus = [];
  const nodes = ordered.map((m) => {
    const sig = JSON.stringify([m.version, m.personalView, m.deleted, m.text, m.cards]);
    const known = rendered.get(m.id);
    if (known && known.sig === sig) return known.node;
    const node = messageElement(m, cardFor(m));
    if (known && !answeredClicks.delete(m.id)) refocus.push(keepTypedValues(known.node, node));
    rendered.set(m.id, { sig, node });
    return node;
  });
  // Insert only what moved or changed, so typed input values and focus survive an update elsewhere.
  nodes.forEach((node, i) => {
    if (list.children[i] !== node) list.insertBefore(node, list.children[i] ?? null);
  });
  while (list.children.length > nodes.length) list.lastElementChild.remove();
  for (const focus of refocus) focus();
  if (nodes.length === 0) list.replaceChildren(el("p", { class: "empty muted", text: "No messages yet." }));
  const follow = followFrom !== null && messages.length > followFrom;
  if (atBottom || ticket === 1 || follow) list.scrollTop = list.scrollHeight;
  followFrom = null;
  refreshViews(messages);
  await loadState();
}

function switchTo(view, viewer) {
  state.view = view;
  if (viewer) state.viewer = viewer;
  state.messageCount = 0;
  rendered.clear();
  $("messages").replaceChildren();
  $("channel").replaceChildren();
  window.location.hash =
    state.view.kind === "chat" ? state.viewer : `${state.viewer}/${state.view.channelId}`;
  renderSidebar();
  renderHeader();
  setStatus("");
  return Promise.all([loadTranscript(), loadGroups()]).catch((e) => setStatus(e.message, "error"));
}

const openChat = (personaId) => switchTo({ kind: "chat" }, personaId);
const openChannel = (channelId) => switchTo({ kind: "channel", channelId });

let pending = null;
function onEvent() {
  // Coalesce bursts of events into one reload.
  clearTimeout(pending);
  pending = setTimeout(() => {
    Promise.all([loadTranscript(), loadGroups()]).catch((e) => setStatus(e.message, "error"));
  }, 30);
}

function wireControls() {
  $("composer-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = $("composer").value.trim();
    if (!text || !state.viewer) return;
    $("composer").value = "";
    try {
      await api.say(state.viewer, text);
    } catch (e) {
      setStatus(e.message, "error");
    }
    followFrom = 0;
    await loadTranscript();
  });
  $("composer").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("composer-form").requestSubmit();
    }
  });
  const install = async () => {
    await api.install(state.viewer).catch((e) => setStatus(e.message, "error"));
    await loadTranscript(); // reloads the state too
  };
  $("install").addEventListener("click", install);
  $("reinstall").addEventListener("click", install);
  $("remove-app").addEventListener("click", async () => {
    try {
      await api.removeApp(state.viewer);
      setStatus(`${viewerPersona()?.displayName ?? "This person"} removed Access Desk.`);
    } catch (e) {
      setStatus(e.message, "error");
    }
    await loadState();
  });
  $("clock-advance").addEventListener("click", async () => {
    const hours = Number($("clock-hours").value) || 0;
    try {
      const { now } = await api.advanceClock(hours);
      setStatus(`Clock moved ${hours} h to ${new Date(now).toUTCString()}.`);
    } catch (e) {
      setStatus(e.message, "error");
    }
    await loadState();
  });
}

async function start() {
  wireControls();
  await loadState();
  const [viewer, channelId] = decodeURIComponent(window.location.hash.slice(1)).split("/");
  if (state.personas.some((p) => p.id === viewer)) state.viewer = viewer;
  if (window.matchMedia("(max-width: 720px)").matches)
    document.querySelectorAll("details.panel").forEach((d) => (d.open = false));
  subscribe(onEvent, () => document.body.setAttribute("data-live", "true"));
  await (channelId ? openChannel(channelId) : openChat(state.viewer));
  document.body.setAttribute("data-ready", "true");
}

start().catch((e) => setStatus(`The page could not start: ${e.message}`, "error"));
