import assert from "node:assert/strict";
import sinon from "sinon";
import { type RecordingConnector, startRecordingConnector } from "./support/connector";
import { type BotOverHttp, helpMessage, post, startBot } from "./support/bot";

describe("local mode (no app id): the bot only talks to this machine", function () {
  this.timeout(30_000);
  let connector: RecordingConnector;
  let h: BotOverHttp;

  beforeEach(async () => {
    connector = await startRecordingConnector();
    h = await startBot({ appId: "" });
  });
  afterEach(async () => {
    await h.close();
    await connector.close();
  });

  it("refuses an activity whose serviceUrl is not on loopback with 400 and a clear message", async () => {
    const process = sinon.spy(h.bot.adapter, "process");
    const answer = await post(h.endpoint, helpMessage("http://10.1.2.3/"));
    assert.equal(answer.status, 400);
    assert.equal(process.callCount, 0, "refused before botbuilder saw the activity");
    const body = JSON.parse(answer.text) as { error: { code: string; message: string } };
    assert.equal(body.error.code, "BadRequest");
    assert.match(body.error.message, /MicrosoftAppId/);
    assert.match(body.error.message, /only answers activities whose serviceUrl is on this machine/);
    assert.match(body.error.message, /http:\/\/10\.1\.2\.3\//);
    assert.equal(await h.stores.conversations.getUserReference("ana"), undefined, "the bot never ran");
    assert.deepEqual(connector.calls, [], "nothing was sent anywhere");
    // The same request at a loopback serviceUrl does reach botbuilder (the spy is live).
    await post(h.endpoint, helpMessage(connector.serviceUrl));
    assert.equal(process.callCount, 1);
  });

  it("refuses a serviceUrl that only starts like a loopback address", async () => {
    for (const serviceUrl of [
      "http://127.0.0.1.example.net/",
      "http://localhost@10.1.2.3/",
      "file:///etc/",
    ]) {
      const answer = await post(h.endpoint, helpMessage(serviceUrl));
      assert.equal(answer.status, 400, serviceUrl);
    }
    assert.deepEqual(connector.calls, [], "nothing was sent anywhere");
  });

  it("answers the same activity at a loopback serviceUrl, without a token", async () => {
    const answer = await post(h.endpoint, helpMessage(connector.serviceUrl));
    assert.equal(answer.status, 200, answer.text);
    const reply = connector.calls.find((c) => c.method === "POST" && c.path.includes("/activities"));
    assert.ok(reply, "the reply reached the loopback connector");
    assert.equal(reply.authorization, undefined, "local mode sends no token");
  });
});
