import type { TableServiceClientOptions } from "@azure/data-tables";

type PipelinePolicy = NonNullable<TableServiceClientOptions["additionalPolicies"]>[number]["policy"];

/**
 * Counts storage operations: one per SDK call (a point read, a query page, a write, a whole
 * transaction), retries excluded. Hooked into every TableClient's pipeline.
 */
export class OperationCounter {
  operations = 0;

  reset(): void {
    this.operations = 0;
  }

  readonly policy: PipelinePolicy = {
    name: "accessDeskOperationCounter",
    sendRequest: (request, next) => {
      this.operations += 1;
      return next(request);
    },
  };
}
