import { whoHasAnswer } from "../answers/admin";
import { type ActionAnswer, type ActionTurn, need } from "./execute";

/** Previous / Next on a "who has" card: the role is checked again on every page. */
export async function holdersPageAction({ deps, actorId, data }: ActionTurn): Promise<ActionAnswer> {
  const packageId = need(data.id("packageId"));
  const page = need(data.int("page", 100_000));
  return whoHasAnswer(deps, { actorId, packageId, page, source: "card:holders.page" });
}

/** Export CSV on a "who has" card: the card again, with the CSV of its holders. */
export async function holdersCsvAction({ deps, actorId, data }: ActionTurn): Promise<ActionAnswer> {
  const packageId = need(data.id("packageId"));
  return whoHasAnswer(deps, { actorId, packageId, csv: true, source: "card:holders.csv" });
}
