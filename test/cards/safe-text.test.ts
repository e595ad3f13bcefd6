import assert from "node:assert/strict";
import { inputValue, safeText } from "../../src/views/text";
import { requestStatusView } from "../../src/views/request";
import { renderCard } from "../../src/views/render";
import { sampleContext, sampleRequest } from "./samples";

describe("user text in cards", () => {
  it("escapes markdown so typed text can't bold, link or list", () => {
    const text = safeText("**urgent** [click](https://evil.example) _now_");
    assert.equal(text.includes("**"), false);
    assert.match(text, /\\\*\\\*urgent\\\*\\\*/);
    assert.match(text, /\\\[click\\\]\\\(/);
    assert.match(text, /\\_now\\_/);
  });

  it("breaks bare addresses so Teams doesn't turn them into links", () => {
    assert.doesNotMatch(safeText("see https://evil.example or www.evil.example"), /https:\/\/|www\./);
  });

  it("collapses newlines so a justification can't start a list or heading", () => {
    assert.equal(safeText("line one\n- item\n# heading"), "line one - item \\# heading");
    assert.equal(safeText("- first"), "\\- first");
    assert.equal(safeText("1. first"), "\\1. first");
  });

  it("keeps card date macros and template bindings inert", () => {
    assert.doesNotMatch(safeText("{{DATE(2020-01-01T00:00:00Z)}} ${secret}"), /\{\{|\$\{/);
  });

  it("caps the length", () => {
    const text = safeText("a".repeat(5000), 100);
    assert.equal(text.length, 100);
    assert.ok(text.endsWith("…"));
  });

  it("puts a hostile justification into the card only as inert text", () => {
    const request = sampleRequest({ justification: "[Approve here](https://phish.example) **now**" });
    const card = JSON.stringify(renderCard(requestStatusView(sampleContext(), request)));
    assert.doesNotMatch(card, /https:\/\/phish/);
    assert.doesNotMatch(card, /[^\\]\*\*now/);
  });

  // Embeddings, overrides, isolates and marks: each can make text read differently from its characters.
  const BIDI = [
    "\u202A",
    "\u202B",
    "\u202C",
    "\u202D",
    "\u202E",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200E",
    "\u200F",
    "\u061C",
  ];
  const BIDI_CLASS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

  it("removes every bidirectional control character from typed text", () => {
    for (const ch of BIDI) {
      const text = safeText(`invoice${ch}fdp.exe`);
      assert.doesNotMatch(text, BIDI_CLASS, `U+${ch.codePointAt(0)!.toString(16).toUpperCase()}`);
      assert.equal(text, "invoicefdp.exe");
    }
    assert.equal(inputValue("Approve\u202Eevorppa"), "Approveevorppa");
  });

  it("keeps right-to-left text itself: only the controls go", () => {
    assert.equal(safeText("\u202Bשלום\u202C עולם"), "שלום עולם");
    assert.equal(safeText("مرحبا\u061C بالعالم"), "مرحبا بالعالم");
  });

  it("puts a justification with a right-to-left override into the card without it", () => {
    const request = sampleRequest({ justification: "Need it \u202Edesoppo ton\u202C for Q3" });
    const card = JSON.stringify(renderCard(requestStatusView(sampleContext(), request)));
    assert.doesNotMatch(card, BIDI_CLASS);
    assert.doesNotMatch(card, /\\u202e/i, "not even as a JSON escape");
    assert.match(card, /desoppo ton/);
  });
});
