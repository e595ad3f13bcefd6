import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { productionNodeFlags } from "../../bench/node-flags";

const ROOT = path.resolve(__dirname, "../..");

describe("the production command line", () => {
  it("is the same in npm run start:prod, the App Service and the bench's bot processes", () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    const bicep = readFileSync(path.join(ROOT, "infra/main.bicep"), "utf8");
    const appService = /appCommandLine: '([^']+)'/.exec(bicep)?.[1];
    assert.equal(appService, pkg.scripts["start:prod"]);
    const flags = productionNodeFlags(ROOT);
    assert.ok(
      flags.some((f) => f.startsWith("--max-old-space-size=")),
      "the heap is bounded",
    );
    assert.equal(`node ${flags.join(" ")} dist/main.js`, pkg.scripts["start:prod"]);
  });
});
