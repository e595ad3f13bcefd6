export interface SameAsSuggestion {
  /** Packages the other person holds that the requester may request, in the order held. */
  suggest: string[];
  /** Packages the other person holds that no policy lets the requester request. */
  notRequestable: string[];
}

/**
 * "Same access as Lola" becomes requests for Lola's access packages that the requester is allowed
 * to request, each going through its own policy and approvals. Group memberships are never copied.
 */
export function suggestSameAs(
  heldPackageIds: readonly string[],
  requestablePackageIds: readonly string[],
): SameAsSuggestion {
  const requestable = new Set(requestablePackageIds);
  const held = [...new Set(heldPackageIds)];
  return {
    suggest: held.filter((id) => requestable.has(id)),
    notRequestable: held.filter((id) => !requestable.has(id)),
  };
}
