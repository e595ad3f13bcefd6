export { parseIntent, type Intent } from "./intent";
export { matchPackages, MATCH_THRESHOLD, type PackageCandidate, type PackageMatch } from "./match-packages";
export { matchPeople, type PeopleMatch } from "./match-people";
export { suggestSameAs, type SameAsSuggestion } from "./same-as";
export { editDistance } from "./edit-distance";
export { parseAdminIntent, parseEndDate, type AdminIntent } from "./admin-intent";
export { findAdminPackage, type AdminPackageMatch } from "./admin-package";
