import type { DirectoryUser } from "../model";
import { closestWord } from "../search/edit-distance";

/** The user properties a rule may name, as Entra spells them. */
const TEXT_PROPERTIES = [
  "department",
  "jobTitle",
  "country",
  "companyName",
  "userType",
  "city",
  "officeLocation",
  "displayName",
  "mail",
  "userPrincipalName",
] as const;

const EXTENSION_ATTRIBUTES = Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}`);

export const BOOLEAN_PROPERTIES: readonly string[] = ["accountEnabled"];

/** Multi-valued properties: only `-any` and `-all` apply to them. */
export const COLLECTION_PROPERTIES: readonly string[] = ["otherMails", "proxyAddresses", "memberOf"];

export const RULE_PROPERTIES: readonly string[] = [
  ...TEXT_PROPERTIES,
  ...BOOLEAN_PROPERTIES,
  ...EXTENSION_ATTRIBUTES,
  ...COLLECTION_PROPERTIES,
];

const BY_LOWER = new Map(RULE_PROPERTIES.map((name) => [name.toLowerCase(), name]));

/** The canonical spelling of a property name (Entra accepts any case), or undefined. */
export function canonicalProperty(name: string): string | undefined {
  return BY_LOWER.get(name.toLowerCase());
}

/** The supported property closest to a misspelt one, for "did you mean ...?". */
export function suggestProperty(name: string): string | undefined {
  const lower = closestWord(name.toLowerCase(), [...BY_LOWER.keys()]);
  return lower === undefined ? undefined : BY_LOWER.get(lower);
}

export const isBooleanProperty = (property: string): boolean => BOOLEAN_PROPERTIES.includes(property);
export const isCollectionProperty = (property: string): boolean => COLLECTION_PROPERTIES.includes(property);

/** What an item condition names: `group.objectId` inside `user.memberOf`, `_` elsewhere. */
export const itemName = (collection: string): string => (collection === "memberOf" ? "group.objectId" : "_");

/** The value of a canonical property of a user; undefined when the directory has none. */
export function readProperty(user: DirectoryUser, property: string): string | boolean | undefined {
  switch (property) {
    case "department":
      return user.department;
    case "jobTitle":
      return user.jobTitle;
    case "country":
      return user.country;
    case "companyName":
      return user.companyName;
    case "userType":
      return user.userType;
    case "city":
      return user.city;
    case "officeLocation":
      return user.officeLocation;
    case "displayName":
      return user.displayName;
    case "mail":
      return user.mail;
    case "userPrincipalName":
      return user.userPrincipalName;
    case "accountEnabled":
      return user.accountEnabled;
    default:
      return readExtensionAttribute(user, property);
  }
}

/** The items of a multi-valued property; `memberOf` comes from the memberships the caller read. */
export function readCollection(
  user: DirectoryUser,
  property: string,
  memberOf: ReadonlySet<string> | undefined,
): readonly string[] {
  switch (property) {
    case "otherMails":
      return user.otherMails ?? [];
    case "proxyAddresses":
      return user.proxyAddresses ?? [];
    case "memberOf":
      return memberOf ? [...memberOf] : [];
    default:
      return [];
  }
}

// Directory sources differ in key case ("extensionAttribute1" from Graph, hand-written YAML may vary).
function readExtensionAttribute(user: DirectoryUser, property: string): string | undefined {
  const attributes = user.extensionAttributes ?? {};
  if (property in attributes) return attributes[property];
  const lower = property.toLowerCase();
  const key = Object.keys(attributes).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : attributes[key];
}
