/** JSON Schema parts of custom extensions (catalogs.yaml) and of approval extensions (policy stages). */
import { EXTENSION_STAGES } from "../domain/extensions/model";
import { approver, slugId, text } from "./schema-parts";

export const customExtension = {
  type: "object",
  additionalProperties: false,
  required: ["id", "url", "secretName", "stages"],
  properties: {
    id: slugId,
    name: text,
    url: {
      type: "string",
      minLength: 1,
      maxLength: 2048,
      description: "write the endpoint's https URL",
    },
    secretName: {
      type: "string",
      pattern: "^[A-Z0-9_]{1,64}$",
      description:
        "name the secret, e.g. TICKETING: Access Desk reads EXTENSION_SECRET_TICKETING from its environment (never put the secret in a file)",
    },
    stages: {
      type: "array",
      uniqueItems: true,
      items: {
        enum: [...EXTENSION_STAGES],
        description: `use ${EXTENSION_STAGES.join(", ")}`,
      },
      description: "list the stages it is called at (may be empty for an approval extension only)",
    },
    removalScheduledDaysBefore: {
      type: "integer",
      minimum: 1,
      maximum: 365,
      description: "use a whole number of days from 1 to 365 before the assignment ends",
    },
    timeoutSeconds: {
      type: "integer",
      minimum: 1,
      maximum: 30,
      description: "use whole seconds from 1 to 30 per call",
    },
    everyPolicy: { type: "boolean" },
  },
};

/** A stage approver may also be an approval extension of the package's catalog. */
export const stageApprover = {
  type: "object",
  required: ["kind"],
  discriminator: { propertyName: "kind" },
  oneOf: [
    ...approver.oneOf,
    {
      type: "object",
      additionalProperties: false,
      required: ["kind", "extensionId"],
      properties: { kind: { const: "extension" }, extensionId: slugId },
    },
  ],
};
