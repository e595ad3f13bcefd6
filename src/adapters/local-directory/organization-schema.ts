/** JSON Schema of the organisation file (demo/organization.yaml). References are checked in organization.ts. */
const id = {
  type: "string",
  minLength: 1,
  pattern: "^[^/\\\\#?\\s]+$",
  description: "use a GUID-like id without / \\ # ? or spaces",
};
const text = { type: "string", minLength: 1 };
const ids = { type: "array", items: id, uniqueItems: true };

export const organizationSchema = {
  type: "object",
  additionalProperties: false,
  required: ["users"],
  properties: {
    tenant: {
      type: "object",
      additionalProperties: false,
      properties: { name: text, domain: text },
    },
    users: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["id", "displayName", "userPrincipalName"],
        properties: {
          id,
          displayName: text,
          userPrincipalName: {
            type: "string",
            pattern: "^[^@\\s]+@[^@\\s]+$",
            description: "write name@domain",
          },
          mail: text,
          department: text,
          jobTitle: text,
          country: text,
          companyName: text,
          city: text,
          officeLocation: text,
          userType: { enum: ["Member", "Guest"] },
          accountEnabled: { type: "boolean" },
          managerId: id,
          connectedOrganizationId: text,
          lastSignInAt: {
            type: "string",
            pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$",
            description: "write a UTC instant like 2025-01-31T09:00:00Z",
          },
          extensionAttributes: { type: "object", additionalProperties: { type: "string" } },
        },
      },
    },
    groups: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["id", "displayName"],
        properties: {
          id,
          displayName: text,
          description: { type: "string" },
          members: ids,
          owners: ids,
          /** Groups nested in this one: their members are (transitive) members of this group. */
          memberGroups: ids,
        },
      },
    },
    servicePrincipals: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["id", "displayName", "appRoles"],
        properties: {
          id,
          displayName: text,
          appRoles: {
            type: "array",
            minItems: 1,
            items: {
              type: "object",
              additionalProperties: false,
              required: ["id", "value", "displayName"],
              properties: { id, value: text, displayName: text },
            },
          },
          assignments: {
            type: "array",
            items: {
              type: "object",
              additionalProperties: false,
              required: ["userId", "appRoleId"],
              properties: { userId: id, appRoleId: id },
            },
          },
        },
      },
    },
  },
};
