/**
 * The part of the Adaptive Card 1.5 schema our templates use, written from the official schema
 * (adaptivecards.io/schemas/1.5.0/adaptive-card.json). Unknown properties are errors so a typo in a
 * template fails here instead of rendering oddly in Teams.
 */
const spacing = { enum: ["None", "Small", "Default", "Medium", "Large", "ExtraLarge", "Padding"] };
const color = { enum: ["Default", "Dark", "Light", "Accent", "Good", "Warning", "Attention"] };
const containerStyle = { enum: ["default", "emphasis", "good", "attention", "warning", "accent"] };
const common = {
  id: { type: "string" },
  spacing,
  separator: { type: "boolean" },
  isVisible: { type: "boolean" },
  height: { enum: ["auto", "stretch"] },
};
const inputCommon = {
  ...common,
  id: { type: "string", minLength: 1 },
  label: { type: "string" },
  isRequired: { type: "boolean" },
  errorMessage: { type: "string" },
};

const element = (type: string, properties: Record<string, unknown>, required: string[] = []) => ({
  type: "object",
  properties: { type: { const: type }, ...common, ...properties },
  required: ["type", ...required],
  additionalProperties: false,
});

export const adaptiveCardSchema = {
  $id: "adaptive-card-1.5-subset",
  $ref: "#/definitions/AdaptiveCard",
  definitions: {
    AdaptiveCard: {
      type: "object",
      properties: {
        $schema: { type: "string" },
        type: { const: "AdaptiveCard" },
        version: { const: "1.5" },
        refresh: { $ref: "#/definitions/Refresh" },
        body: { type: "array", items: { $ref: "#/definitions/Element" } },
        actions: { type: "array", items: { $ref: "#/definitions/Action" }, minItems: 1 },
        msteams: { type: "object" },
      },
      required: ["type", "version"],
      additionalProperties: false,
    },
    Refresh: {
      type: "object",
      properties: {
        action: { $ref: "#/definitions/Action.Execute" },
        userIds: { type: "array", items: { type: "string" }, maxItems: 60 },
      },
      required: ["action"],
      additionalProperties: false,
    },
    Element: {
      type: "object",
      required: ["type"],
      properties: {
        type: {
          enum: [
            "TextBlock",
            "Container",
            "ColumnSet",
            "FactSet",
            "ActionSet",
            "Input.Text",
            "Input.ChoiceSet",
            "Input.Date",
            "Input.Toggle",
          ],
        },
      },
      allOf: [
        { if: { properties: { type: { const: "TextBlock" } } }, then: { $ref: "#/definitions/TextBlock" } },
        { if: { properties: { type: { const: "Container" } } }, then: { $ref: "#/definitions/Container" } },
        { if: { properties: { type: { const: "ColumnSet" } } }, then: { $ref: "#/definitions/ColumnSet" } },
        { if: { properties: { type: { const: "FactSet" } } }, then: { $ref: "#/definitions/FactSet" } },
        { if: { properties: { type: { const: "ActionSet" } } }, then: { $ref: "#/definitions/ActionSet" } },
        { if: { properties: { type: { const: "Input.Text" } } }, then: { $ref: "#/definitions/Input.Text" } },
        {
          if: { properties: { type: { const: "Input.ChoiceSet" } } },
          then: { $ref: "#/definitions/Input.ChoiceSet" },
        },
        { if: { properties: { type: { const: "Input.Date" } } }, then: { $ref: "#/definitions/Input.Date" } },
        {
          if: { properties: { type: { const: "Input.Toggle" } } },
          then: { $ref: "#/definitions/Input.Toggle" },
        },
      ],
    },
    TextBlock: element(
      "TextBlock",
      {
        text: { type: "string" },
        size: { enum: ["Default", "Small", "Medium", "Large", "ExtraLarge"] },
        weight: { enum: ["Default", "Lighter", "Bolder"] },
        color,
        isSubtle: { type: "boolean" },
        wrap: { type: "boolean" },
        maxLines: { type: "integer" },
        horizontalAlignment: { enum: ["Left", "Center", "Right"] },
        fontType: { enum: ["Default", "Monospace"] },
        style: { enum: ["default", "heading"] },
      },
      ["text"],
    ),
    Container: element(
      "Container",
      {
        items: { type: "array", items: { $ref: "#/definitions/Element" } },
        style: containerStyle,
        bleed: { type: "boolean" },
      },
      ["items"],
    ),
    Column: {
      type: "object",
      properties: {
        type: { const: "Column" },
        ...common,
        items: { type: "array", items: { $ref: "#/definitions/Element" } },
        width: {
          anyOf: [{ enum: ["auto", "stretch"] }, { type: "number" }, { type: "string", pattern: "^\\d+px$" }],
        },
        style: containerStyle,
        verticalContentAlignment: { enum: ["Top", "Center", "Bottom"] },
      },
      required: ["type"],
      additionalProperties: false,
    },
    ColumnSet: element("ColumnSet", {
      columns: { type: "array", items: { $ref: "#/definitions/Column" } },
      style: containerStyle,
    }),
    FactSet: element(
      "FactSet",
      {
        facts: {
          type: "array",
          minItems: 1,
          items: {
            type: "object",
            properties: { title: { type: "string" }, value: { type: "string" } },
            required: ["title", "value"],
            additionalProperties: false,
          },
        },
      },
      ["facts"],
    ),
    ActionSet: element(
      "ActionSet",
      { actions: { type: "array", minItems: 1, items: { $ref: "#/definitions/Action" } } },
      ["actions"],
    ),
    "Input.Text": {
      ...element("Input.Text", {
        ...inputCommon,
        isMultiline: { type: "boolean" },
        maxLength: { type: "integer", minimum: 1 },
        placeholder: { type: "string" },
        regex: { type: "string" },
        style: { enum: ["text", "tel", "url", "email", "password"] },
        value: { type: "string" },
      }),
      required: ["type", "id"],
    },
    "Input.ChoiceSet": {
      ...element("Input.ChoiceSet", {
        ...inputCommon,
        choices: {
          type: "array",
          items: {
            type: "object",
            properties: { title: { type: "string" }, value: { type: "string" } },
            required: ["title", "value"],
            additionalProperties: false,
          },
        },
        isMultiSelect: { type: "boolean" },
        style: { enum: ["compact", "expanded", "filtered"] },
        placeholder: { type: "string" },
        value: { type: "string" },
        wrap: { type: "boolean" },
      }),
      required: ["type", "id", "choices"],
    },
    "Input.Date": {
      ...element("Input.Date", {
        ...inputCommon,
        value: { type: "string", pattern: "^(\\d{4}-\\d{2}-\\d{2})?$" },
        min: { type: "string" },
        max: { type: "string" },
        placeholder: { type: "string" },
      }),
      required: ["type", "id"],
    },
    "Input.Toggle": {
      ...element("Input.Toggle", {
        ...inputCommon,
        title: { type: "string" },
        value: { type: "string" },
        valueOn: { type: "string" },
        valueOff: { type: "string" },
        wrap: { type: "boolean" },
      }),
      required: ["type", "id", "title"],
    },
    Action: { $ref: "#/definitions/Action.Execute" },
    "Action.Execute": {
      type: "object",
      properties: {
        type: { const: "Action.Execute" },
        id: { type: "string" },
        title: { type: "string" },
        verb: { type: "string", minLength: 1 },
        data: { type: "object" },
        associatedInputs: { enum: ["auto", "none", "Auto", "None"] },
        style: { enum: ["default", "positive", "destructive"] },
        isEnabled: { type: "boolean" },
        tooltip: { type: "string" },
        mode: { enum: ["primary", "secondary"] },
      },
      required: ["type", "verb"],
      additionalProperties: false,
    },
  },
} as const;
