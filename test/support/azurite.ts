import { startAzurite as start, type RunningAzurite as Running } from "../../src/dev/azurite";

export {
  startAzurite,
  isTableEndpointUp,
  devConnectionString,
  type RunningAzurite,
} from "../../src/dev/azurite";

/** An in-memory Azurite for the enclosing `describe`: started before its tests, stopped after. */
export function azuriteForSuite(): () => Running {
  let azurite: Running | undefined;
  before(async () => {
    azurite = await start({ inMemory: true });
  });
  after(async () => {
    await azurite?.stop();
  });
  return () => azurite!;
}
