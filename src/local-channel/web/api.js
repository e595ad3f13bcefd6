/* global fetch, EventSource, document, URLSearchParams */
// The page's calls to the local channel's JSON API and its event stream.

const BASE = document.querySelector("meta[name='local-channel-base']")?.content ?? "/local-channel";

async function call(method, route, body) {
  const response = await fetch(`${BASE}/api/${route}`, {
    method,
    headers: body ? { "Content-Type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const payload = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(payload.error ?? `${route} failed with ${response.status}`);
  return payload;
}

const q = (params) => new URLSearchParams(params).toString();

export const api = {
  state: () => call("GET", "state"),
  transcript: (conversationId, viewer) => call("GET", `transcript?${q({ conversationId, viewer })}`),
  groups: (userId) => call("GET", `groups?${q({ userId })}`),
  say: (userId, text) => call("POST", "say", { userId, text }),
  install: (userId) => call("POST", "install", { userId }),
  removeApp: (userId) => call("POST", "remove-app", { userId }),
  invoke: (userId, activityId, verb, data, trigger) =>
    call("POST", "invoke", { userId, activityId, verb, data, trigger }),
  signIn: (userId, activityId, verb, data, mfa) =>
    call("POST", "signin", { userId, activityId, verb, data, mfa }),
  advanceClock: (hours) => call("POST", "clock/advance", { hours }),
};

/** Server-sent events: each change in the channel; the browser reconnects by itself. */
export function subscribe(onEvent, onOpen) {
  const source = new EventSource(`${BASE}/api/events`);
  source.onmessage = (message) => onEvent(JSON.parse(message.data));
  source.onopen = onOpen;
  return source;
}
