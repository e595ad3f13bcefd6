import { oneRequestScenarios } from "./one-request.scenarios";
import { world } from "./support/world";

describe("one request, one assignment, whatever the clicks (memory stores)", function () {
  this.timeout(10_000);
  oneRequestScenarios(async (governance) => world(governance));
});
