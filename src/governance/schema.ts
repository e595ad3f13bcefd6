/**
 * JSON Schemas of the governance files. They check shape only; references between files are checked
 * in cross-check.ts. `description` doubles as the hint shown when a value is out of range.
 */

import {
  slugId,
  instant,
  text,
  ids,
  channel,
  reviewer,
  approvers,
  resourceRole,
  requestors,
  question,
} from "./schema-parts";
import { customExtension, stageApprover } from "./schema-extensions";

const days = (max: number, what: string) => ({
  type: "integer",
  minimum: 1,
  maximum: max,
  description: `use a whole number of days from 1 to ${max} (${what})`,
});

const stage = {
  type: "object",
  additionalProperties: false,
  required: ["primaryApprovers"],
  properties: {
    primaryApprovers: {
      type: "array",
      items: stageApprover,
      minItems: 1,
      description: "name at least one approver (people, or an approval extension of the catalog)",
    },
    fallbackApprovers: approvers,
    approverJustificationRequired: { type: "boolean" },
    requireStepUp: { type: "boolean" },
    stepUpFreshnessMinutes: {
      type: "integer",
      minimum: 1,
      maximum: 60,
      description:
        "use a whole number of minutes from 1 to 60 (how recent the approver's multi-factor sign-in must be)",
    },
    decisionWindowDays: days(14, "after that the request is denied automatically"),
    escalation: {
      type: "object",
      additionalProperties: false,
      required: ["afterDays", "approvers"],
      properties: {
        afterDays: days(13, "before the decision window ends"),
        approvers: { ...approvers, minItems: 1 },
      },
    },
  },
};

const expiry = {
  type: "object",
  required: ["kind"],
  discriminator: { propertyName: "kind" },
  oneOf: [
    {
      type: "object",
      additionalProperties: false,
      required: ["kind"],
      properties: { kind: { const: "never" } },
    },
    {
      type: "object",
      additionalProperties: false,
      required: ["kind", "date"],
      properties: { kind: { const: "onDate" }, date: instant },
    },
    {
      type: "object",
      additionalProperties: false,
      required: ["kind", "days"],
      properties: { kind: { const: "afterDays" }, days: days(3650, "how long access lasts") },
    },
    {
      type: "object",
      additionalProperties: false,
      required: ["kind", "hours"],
      properties: {
        kind: { const: "afterHours" },
        hours: { type: "integer", minimum: 1, maximum: 8760, description: "use whole hours from 1 to 8760" },
      },
    },
  ],
};

const review = {
  type: "object",
  additionalProperties: false,
  required: ["recurrence", "startDate", "reviewers"],
  properties: {
    recurrence: { enum: ["monthly", "quarterly", "semiAnnual", "annual"] },
    startDate: instant,
    durationDays: days(180, "how long each review stays open"),
    reviewers: { type: "array", items: reviewer, minItems: 1, description: "name at least one reviewer" },
    fallbackReviewers: approvers,
    escalateAfterDays: days(179, "when the fallback reviewers join the items nobody decided"),
    justificationRequired: { type: "boolean" },
    ifNoResponse: { enum: ["keep", "remove", "recommendation"] },
  },
};

const policy = {
  type: "object",
  additionalProperties: false,
  required: ["id", "name"],
  properties: {
    id: slugId,
    name: text,
    description: { type: "string" },
    requestors,
    request: {
      type: "object",
      additionalProperties: false,
      properties: {
        selfService: { type: "boolean" },
        justificationRequired: { type: "boolean" },
        onBehalfOfByManagers: { type: "boolean" },
        questions: { type: "array", items: question },
        requesterSchedule: { type: "boolean" },
      },
    },
    approval: {
      type: "object",
      additionalProperties: false,
      properties: {
        required: { type: "boolean" },
        stages: { type: "array", items: stage, maxItems: 3, description: "use one to three approval stages" },
      },
    },
    lifecycle: {
      type: "object",
      additionalProperties: false,
      properties: {
        expiry,
        extension: {
          type: "object",
          additionalProperties: false,
          properties: { allowed: { type: "boolean" }, requiresApproval: { type: "boolean" } },
        },
        selfRemoval: { type: "boolean" },
        review,
        outOfBandMembers: {
          enum: ["report", "remove"],
          description: 'use "report" (tell the catalog owners) or "remove" (also take them out)',
        },
      },
    },
    autoAssignment: {
      type: "object",
      additionalProperties: false,
      required: ["rule"],
      properties: {
        rule: text,
        enabled: { type: "boolean" },
        removalGraceHours: { type: "integer", minimum: 0, description: "use whole hours, 0 or more" },
      },
    },
    extensions: {
      type: "array",
      uniqueItems: true,
      items: slugId,
      description: "list ids of custom extensions declared by the package's catalog",
    },
  },
};

export const packageFileSchema = {
  type: "object",
  additionalProperties: false,
  required: ["name", "catalogId", "resources", "policies"],
  properties: {
    id: slugId,
    name: text,
    description: { type: "string" },
    catalogId: slugId,
    hidden: { type: "boolean" },
    keywords: { type: "array", items: text },
    resources: {
      type: "array",
      items: resourceRole,
      minItems: 1,
      description: "list at least one resource role",
    },
    incompatiblePackageIds: { type: "array", items: slugId, uniqueItems: true },
    incompatibleGroupIds: ids,
    channel,
    policies: {
      type: "array",
      items: policy,
      minItems: 1,
      description: "add at least one assignment policy",
    },
  },
};

export const catalogsFileSchema = {
  type: "object",
  additionalProperties: false,
  required: ["catalogs"],
  properties: {
    catalogs: {
      type: "array",
      minItems: 1,
      description: "declare at least one catalog",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["id", "name"],
        properties: {
          id: slugId,
          name: text,
          description: { type: "string" },
          owners: ids,
          readers: ids,
          accessPackageManagers: ids,
          accessPackageAssignmentManagers: ids,
          enabled: { type: "boolean" },
          externallyVisible: { type: "boolean" },
          channel,
          extensions: { type: "array", items: customExtension },
        },
      },
    },
  },
};

export const connectedOrganizationsFileSchema = {
  type: "object",
  additionalProperties: false,
  required: ["connectedOrganizations"],
  properties: {
    connectedOrganizations: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["id", "name", "domains"],
        properties: {
          id: slugId,
          name: text,
          description: { type: "string" },
          state: { enum: ["configured", "proposed"] },
          domains: {
            type: "array",
            minItems: 1,
            uniqueItems: true,
            items: {
              type: "string",
              pattern: "^[a-z0-9.-]+\\.[a-z]{2,}$",
              description: "write a domain like fabrikam.com",
            },
          },
          internalSponsors: ids,
          externalSponsors: ids,
          guestLifecycle: {
            type: "object",
            additionalProperties: false,
            properties: {
              blockSignIn: { type: "boolean" },
              deleteAfterDays: {
                type: "integer",
                minimum: 1,
                maximum: 3650,
                description: "use a whole number of days from 1 to 3650 after the last access ended",
              },
              allGuests: { type: "boolean" },
            },
          },
        },
      },
    },
  },
};
