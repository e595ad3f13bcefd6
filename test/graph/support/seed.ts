import type { Tenant } from "./tenant";

/** A small org: Ada (CEO) <- Bob (head of sales) <- Cleo and Dan; Eve has no manager; Gus is a guest. */
export function seedOrg(t: Tenant): void {
  t.addUser({
    id: "ada",
    displayName: "Ada Lovelace",
    mail: "ada@contoso.test",
    department: "Board",
    jobTitle: "CEO",
  });
  t.addUser({
    id: "bob",
    displayName: "Bob Marley",
    mail: "bob@contoso.test",
    department: "Sales",
    jobTitle: "Head of Sales",
    country: "JM",
  });
  t.addUser({
    id: "cleo",
    displayName: "Cleo O'Brien",
    mail: "cleo@contoso.test",
    department: "Sales",
    jobTitle: "Account Manager",
    country: "IE",
    companyName: "Contoso",
    city: "Dublin",
    officeLocation: "D2",
    onPremisesExtensionAttributes: { extensionAttribute1: "EMEA", extensionAttribute2: null },
    lastSignInDateTime: "2026-11-20T08:30:00Z",
  });
  t.addUser({
    id: "dan",
    displayName: "Dan Brown",
    mail: "dan@contoso.test",
    department: "Sales",
    accountEnabled: false,
  });
  t.addUser({ id: "eve", displayName: "Eve Smith-Jones", mail: "eve@contoso.test", department: "Finance" });
  t.addUser({
    id: "gus",
    displayName: "Gus Guest",
    mail: "gus@fabrikam.test",
    userPrincipalName: "gus_fabrikam.test#EXT#@contoso.test",
    userType: "Guest",
  });
  t.setManager("bob", "ada");
  t.setManager("cleo", "bob");
  t.setManager("dan", "bob");
  t.addGroup("sales", "Sales", ["bob", "cleo", "dan"], ["bob"]);
  t.addGroup("emea", "EMEA", ["sales", "eve"]);
  t.addGroup("crm-users", "CRM users", []);
  t.addServicePrincipal("sp-crm", "CRM", [
    { id: "role-reader", value: "Reader" },
    { id: "role-admin", value: "Admin" },
  ]);
}
