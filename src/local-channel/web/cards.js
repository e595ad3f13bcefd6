/* global AdaptiveCards, window, document */
// Adaptive Cards rendered by Microsoft's renderer with a host config close to Teams' light theme.
import { escapeHtml, renderMarkdown } from "./markdown.js";

const HOST_CONFIG = {
  fontFamily: "'Segoe UI', system-ui, -apple-system, 'Helvetica Neue', sans-serif",
  supportsInteractivity: true,
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: "#E0E0E0" },
  fontSizes: { small: 12, default: 14, medium: 16, large: 18, extraLarge: 24 },
  fontWeights: { lighter: 300, default: 400, bolder: 600 },
  containerStyles: {
    default: {
      backgroundColor: "#FFFFFF",
      foregroundColors: {
        default: { default: "#242424", subtle: "#616161" },
        accent: { default: "#5B5FC7", subtle: "#6264A7" },
        good: { default: "#0E700E", subtle: "#237B4B" },
        warning: { default: "#835B00", subtle: "#C94F0F" },
        attention: { default: "#C4314B", subtle: "#A4262C" },
        dark: { default: "#242424", subtle: "#424242" },
        light: { default: "#FFFFFF", subtle: "#F5F5F5" },
      },
    },
    emphasis: {
      backgroundColor: "#F5F5F5",
      foregroundColors: { default: { default: "#242424", subtle: "#616161" } },
    },
    good: { backgroundColor: "#E7F2DA" },
    attention: { backgroundColor: "#FCF4F6" },
    warning: { backgroundColor: "#FBF6D9" },
    accent: { backgroundColor: "#E8EBFA" },
  },
  actions: {
    maxActions: 6,
    spacing: "default",
    buttonSpacing: 8,
    showCard: { actionMode: "inline", inlineTopMargin: 12 },
    actionsOrientation: "horizontal",
    actionAlignment: "left",
  },
  inputs: { label: { requiredInputs: { suffix: " *" } } },
};

let configured = false;

function configure() {
  if (configured) return;
  configured = true;
  // Card text is markdown from the bot: escape first, then a small safe subset.
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = renderMarkdown(text);
    result.didProcess = true;
  };
}

/**
 * Renders a card. `onExecute(verb, data)` gets Action.Execute clicks with the card's input values
 * merged into the action's data, as Teams sends them.
 */
export function renderCard(json, { onExecute, onStatus }) {
  configure();
  const card = new AdaptiveCards.AdaptiveCard();
  card.hostConfig = new AdaptiveCards.HostConfig(HOST_CONFIG);
  card.onExecuteAction = (action) => {
    if (action instanceof AdaptiveCards.ExecuteAction) {
      onExecute(action.verb ?? "", action.data ?? {});
    } else if (action instanceof AdaptiveCards.OpenUrlAction) {
      if (/^https?:/i.test(action.url ?? "")) window.open(action.url, "_blank", "noopener");
    } else {
      onStatus(`${action.getJsonTypeName()} is not supported here; the bot uses Action.Execute.`);
    }
  };
  try {
    card.parse(json);
    const element = card.render();
    if (!element) throw new Error("The renderer returned nothing");
    for (const input of card.getAllInputs()) {
      const control = input.renderedInputControlElement;
      if (!control) continue;
      // Lets the page carry typed text over when the card is re-rendered (see keepTypedValues).
      control.dataset.inputId = input.id ?? "";
      if (input.isRequired) control.setAttribute("aria-required", "true");
    }
    return element;
  } catch (e) {
    const fallback = document.createElement("pre");
    fallback.className = "card-error";
    fallback.innerHTML = `Could not render this card: ${escapeHtml(e instanceof Error ? e.message : String(e))}`;
    return fallback;
  }
}

/**
 * A card re-rendered while someone types (an update, or the viewer's own `refresh` view arriving)
 * keeps what they typed in inputs that are still there and still hold their initial value, and the
 * cursor where it was: call the returned function once the new card is on the page, so the next
 * keystroke lands in the new box instead of nowhere.
 */
export function keepTypedValues(oldNode, newNode) {
  let focus = () => {};
  for (const typed of oldNode.querySelectorAll("[data-input-id]")) {
    const id = typed.dataset.inputId;
    const next = [...newNode.querySelectorAll("[data-input-id]")].find((e) => e.dataset.inputId === id);
    if (!next) continue;
    const edited = "value" in typed && typed.value !== (typed.defaultValue ?? typed.value);
    if (edited && "value" in next && next.value === (next.defaultValue ?? next.value))
      next.value = typed.value;
    if (typed === typed.ownerDocument.activeElement) focus = () => placeCursor(next, typed);
  }
  return focus;
}

function placeCursor(next, typed) {
  next.focus();
  try {
    next.setSelectionRange(typed.selectionStart, typed.selectionEnd, typed.selectionDirection);
  } catch {
    // Inputs without a text selection (date, number) keep the focus only.
  }
}
