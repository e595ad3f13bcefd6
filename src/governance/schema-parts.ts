/** Building blocks of the governance file schemas (see schema.ts). */

export const slugId = {
  type: "string",
  pattern: "^[a-z0-9][a-z0-9-]{0,62}$",
  description: "use lowercase letters, digits and dashes, e.g. business-analyst",
};
export const objectId = {
  type: "string",
  minLength: 1,
  pattern: "^[^/\\\\#?\\s]+$",
  description: "use the object id (a GUID) of the user or group",
};
export const instant = {
  type: "string",
  pattern: "^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2}))?$",
  description: "write a date like 2027-06-30 or an instant like 2027-06-30T00:00:00Z",
};
export const text = { type: "string", minLength: 1 };
export const ids = { type: "array", items: objectId, uniqueItems: true };
export const channel = {
  type: "object",
  additionalProperties: false,
  required: ["teamId", "channelId"],
  properties: { teamId: text, channelId: text, name: text },
};

const approverBranches = [
  {
    type: "object",
    additionalProperties: false,
    required: ["kind"],
    properties: {
      kind: { const: "manager" },
      level: { enum: [1, 2], description: "1 = direct manager, 2 = their manager" },
    },
  },
  {
    type: "object",
    additionalProperties: false,
    required: ["kind", "userIds"],
    properties: { kind: { const: "users" }, userIds: { ...ids, minItems: 1 } },
  },
  {
    type: "object",
    additionalProperties: false,
    required: ["kind", "groupId"],
    properties: { kind: { const: "groupMembers" }, groupId: objectId },
  },
  {
    type: "object",
    additionalProperties: false,
    required: ["kind", "which"],
    properties: { kind: { const: "sponsors" }, which: { enum: ["internal", "external", "both"] } },
  },
];
export const approver = {
  type: "object",
  required: ["kind"],
  discriminator: { propertyName: "kind" },
  oneOf: approverBranches,
};
export const reviewer = {
  type: "object",
  required: ["kind"],
  discriminator: { propertyName: "kind" },
  oneOf: [
    ...approverBranches,
    {
      type: "object",
      additionalProperties: false,
      required: ["kind"],
      properties: { kind: { const: "self" } },
    },
  ],
};
export const approvers = { type: "array", items: approver };

const groupRole = (kind: string) => ({
  type: "object",
  additionalProperties: false,
  required: ["kind", "groupId", "displayName"],
  properties: { kind: { const: kind }, groupId: objectId, displayName: text },
});
export const resourceRole = {
  type: "object",
  required: ["kind"],
  discriminator: { propertyName: "kind" },
  oneOf: [
    groupRole("groupMember"),
    groupRole("groupOwner"),
    groupRole("teamMember"),
    {
      type: "object",
      additionalProperties: false,
      required: ["kind", "groupId", "siteUrl", "displayName"],
      properties: {
        kind: { const: "siteRole" },
        groupId: {
          ...objectId,
          description: "the group that grants the site role (sites are granted through groups)",
        },
        siteUrl: { type: "string", pattern: "^https://", description: "use the site's https:// address" },
        displayName: text,
        roleName: text,
      },
    },
    {
      type: "object",
      additionalProperties: false,
      required: ["kind", "servicePrincipalId", "appRoleId", "displayName", "roleName"],
      properties: {
        kind: { const: "appRole" },
        servicePrincipalId: objectId,
        appRoleId: objectId,
        displayName: text,
        roleName: text,
      },
    },
  ],
};

export const requestors = {
  type: "object",
  required: ["kind"],
  discriminator: { propertyName: "kind" },
  oneOf: [
    ...["none", "allMembers", "allUsers"].map((k) => ({
      type: "object",
      additionalProperties: false,
      required: ["kind"],
      properties: { kind: { const: k } },
    })),
    {
      type: "object",
      additionalProperties: false,
      required: ["kind"],
      properties: { kind: { const: "specific" }, userIds: ids, groupIds: ids },
    },
    {
      type: "object",
      additionalProperties: false,
      required: ["kind", "organizationIds"],
      properties: {
        kind: { const: "connectedOrganizations" },
        organizationIds: {
          anyOf: [{ const: "all" }, { type: "array", items: slugId, minItems: 1, uniqueItems: true }],
          description: 'write "all" or a list of connected organisation ids',
        },
      },
    },
  ],
};

export const question = {
  type: "object",
  required: ["kind"],
  discriminator: { propertyName: "kind" },
  oneOf: [
    {
      type: "object",
      additionalProperties: false,
      required: ["id", "text", "kind"],
      properties: {
        id: slugId,
        text,
        kind: { enum: ["shortText", "longText"] },
        required: { type: "boolean" },
        regex: text,
      },
    },
    {
      type: "object",
      additionalProperties: false,
      required: ["id", "text", "kind", "choices"],
      properties: {
        id: slugId,
        text,
        kind: { const: "multipleChoice" },
        required: { type: "boolean" },
        choices: {
          type: "array",
          items: text,
          minItems: 2,
          uniqueItems: true,
          description: "give at least two choices",
        },
      },
    },
  ],
};
