import { strict as assert } from "node:assert";
import type restify from "restify";
import { createHttpServer, listen } from "../../src/http/server";
import { startAzurite, type RunningAzurite } from "../support/azurite";
import { azuriteStores } from "../support/stores";
import { recordingLogger, validActivity } from "./support";

type Handler = (req: restify.Request, res: restify.Response) => Promise<void>;

describe("HTTP server: bot endpoint, liveness and readiness", function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  let server: restify.Server;
  let url: string;
  const logger = recordingLogger();
  const calls: unknown[] = [];
  /** What the bot does with a well-formed activity; tests swap it. */
  let handler: Handler;
  const answering: Handler = async (req, res) => {
    calls.push(req.body);
    res.send(200, { handled: true });
  };

  before(async () => {
    azurite = await startAzurite({ inMemory: true });
    const stores = await azuriteStores(azurite, { tablePrefix: "httptest" });
    server = createHttpServer({
      handleMessages: (req, res) => handler(req, res),
      ready: async () => {
        await stores.ping();
        return true;
      },
      logger,
    });
    url = await listen(server, 0, "127.0.0.1");
  });
  beforeEach(() => {
    handler = answering;
    calls.length = 0;
  });
  after(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await azurite?.stop();
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });

  it("listens on loopback only", () => assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/));

  it("answers /healthz with 200", async () => {
    const res = await fetch(`${url}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: "ok" });
  });

  it("answers /readyz with 200 while storage answers", async () => {
    const res = await fetch(`${url}/readyz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: "ready" });
  });

  it("hands a well-formed activity to the message handler", async () => {
    const res = await post(JSON.stringify(validActivity()));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { handled: true });
    assert.equal((calls[0] as { text: string }).text, "hello");
  });

  it("rejects a body that is not JSON with 400 without calling the handler", async () => {
    const res = await post('{"type": "message", ');
    assert.equal(res.status, 400);
    assert.equal(calls.length, 0);
  });

  it("rejects a JSON array with 400 without calling the handler", async () => {
    const res = await post("[1, 2]");
    assert.equal(res.status, 400);
    assert.equal(calls.length, 0);
  });

  const missing: [string, Record<string, unknown>, RegExp][] = [
    ["type", { type: undefined }, /no type/],
    ["serviceUrl", { serviceUrl: undefined }, /no valid serviceUrl/],
    ["a serviceUrl that is not http(s)", { serviceUrl: "file:///etc/passwd" }, /no valid serviceUrl/],
    ["conversation", { conversation: undefined }, /no conversation id/],
    ["from", { from: undefined }, /no sender \(from\.id\)/],
  ];
  for (const [what, patch, message] of missing) {
    it(`rejects an activity without ${what} with 400 naming it`, async () => {
      const res = await post(JSON.stringify(validActivity(patch)));
      assert.equal(res.status, 400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, "BadRequest");
      assert.match(body.error.message, message);
      assert.equal(calls.length, 0);
    });
  }

  it("rejects a body over 256 KiB with 413 without calling the handler", async () => {
    const big = JSON.stringify(validActivity({ text: "x".repeat(256 * 1024) }));
    const res = await post(big);
    assert.equal(res.status, 413);
    assert.equal(calls.length, 0);
  });

  it("rejects a chunked body over 256 KiB with 413, though it announces no length", async () => {
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 6) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await fetch(`${url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    assert.equal(res.status, 413);
    assert.equal(calls.length, 0);
  });

  it("accepts a body just under 256 KiB", async () => {
    const base = JSON.stringify(validActivity({ text: "" })).length;
    const res = await post(JSON.stringify(validActivity({ text: "x".repeat(256 * 1024 - base - 16) })));
    assert.equal(res.status, 200);
  });

  it("answers 500 with a generic message when the handler throws, logging the error, and keeps serving", async () => {
    handler = async () => {
      throw new Error("secret detail at /srv/bot/handler.ts:42");
    };
    const res = await post(JSON.stringify(validActivity()));
    assert.equal(res.status, 500);
    const text = await res.text();
    assert.deepEqual(JSON.parse(text), {
      error: { code: "InternalError", message: "The bot failed; see its log." },
    });
    assert.doesNotMatch(text, /secret detail|handler\.ts|at /);
    assert.ok(
      logger.lines.some(
        (l) => l.level === "error" && (l.obj as { err?: Error }).err?.message.includes("secret"),
      ),
    );

    handler = answering;
    assert.equal((await post(JSON.stringify(validActivity()))).status, 200);
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
  });

  it("keeps the handler's own answer when it throws after responding", async () => {
    handler = async (_req, res) => {
      res.send(202, { accepted: true });
      throw new Error("late failure");
    };
    const res = await post(JSON.stringify(validActivity()));
    assert.equal(res.status, 202);
  });

  it("answers an unknown route with 404", async () => {
    assert.equal((await fetch(`${url}/nope`)).status, 404);
  });

  // Last: stops the storage the readiness check depends on.
  it("answers /readyz with 503 once storage is gone, while /healthz stays 200", async () => {
    await azurite.stop();
    const res = await fetch(`${url}/readyz`);
    assert.equal(res.status, 503);
    assert.deepEqual(await res.json(), { status: "storage unreachable" });
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
  });
});
