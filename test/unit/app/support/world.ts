import { submitRequest } from "../../../../src/app/submit-request";
import type { GovernanceConfig } from "../../../../src/domain/model";
import { RecordingEvents } from "../../../support/recording";
import { memoryStores } from "../../../support/stores";
import { buildWorld, type World as BuiltWorld } from "../../../support/world";
import type { MemoryStores } from "../../../../src/adapters/memory";
import type { FixedClock } from "../../../../src/adapters/runtime/clock";
import { config as seedConfig, NOW, user } from "../../domain/support/fixtures";
import { MapDirectory } from "./directory";
import { MapProvisioner } from "./provisioner";

export { RecordingEvents };

export type World = BuiltWorld<MemoryStores, MapDirectory, MapProvisioner, FixedClock, RecordingEvents>;

/**
 * The seed's organisation: alice (requester, also in the security group), her manager mark,
 * sam and sue in security, fiona the fallback approver, olivia the catalog owner.
 */
export function world(config: GovernanceConfig = seedConfig()): World {
  const directory = new MapDirectory()
    .addUser(user("alice", { managerId: "mark" }))
    .addUser(user("mark"))
    .addUser(user("sam"))
    .addUser(user("sue"))
    .addUser(user("fiona"))
    .addUser(user("olivia"))
    .addUser(user("nomgr"))
    .addGroup("grp-security", "Cyber Security", ["sam", "sue", "alice"]);
  return buildWorld({
    stores: memoryStores(config),
    directory,
    provisioner: new MapProvisioner(),
    start: NOW,
  });
}

export function unwrap<T>(
  result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } },
): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Alice asks for the analyst package (manager, then the security group approve); returns the request. */
export async function aliceAsksForAnalyst(deps: World["deps"]) {
  const submitted = await submitRequest(deps, {
    actorId: "alice",
    packageId: "pkg-analyst",
    justification: "Quarterly reporting",
    answers: {},
    source: "chat:command",
  });
  return unwrap(submitted).request;
}
