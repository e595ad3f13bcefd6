export {
  startAzurite,
  isTableEndpointUp,
  devConnectionString,
  type RunningAzurite,
} from "../../src/dev/azurite";
