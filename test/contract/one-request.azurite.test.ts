import { buildWorld } from "../support/world";
import { azuriteStores } from "../support/stores";
import { azuriteForSuite } from "../support/azurite";
import { RecordingEvents } from "../support/recording";
import { MapDirectory } from "../unit/app/support/directory";
import { MapProvisioner } from "../unit/app/support/provisioner";
import { oneRequestScenarios } from "../unit/app/one-request.scenarios";
import { NOW, user } from "../unit/domain/support/fixtures";

/** The races of test/unit/app/one-request.scenarios.ts on Table Storage: the claims are real rows. */
describe("one request, one assignment, whatever the clicks (table stores on Azurite)", function () {
  this.timeout(60_000);
  const azurite = azuriteForSuite();

  oneRequestScenarios(async (governance) => {
    const directory = new MapDirectory()
      .addUser(user("alice", { managerId: "mark" }))
      .addUser(user("mark"))
      .addUser(user("sam"))
      .addUser(user("olivia"))
      .addGroup("grp-security", "Cyber Security", ["sam"]);
    return buildWorld({
      stores: await azuriteStores(azurite(), { governance }),
      directory,
      provisioner: new MapProvisioner(),
      events: new RecordingEvents(),
      start: NOW,
    });
  });
});
