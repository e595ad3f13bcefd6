import { TableClient, type TableServiceClientOptions } from "@azure/data-tables";

type PipelinePolicy = NonNullable<TableServiceClientOptions["additionalPolicies"]>[number]["policy"];

/** Counts requests and the entities the service returned (rows read), by what a query answered. */
export class RowCounter {
  requests = 0;
  rowsReturned = 0;

  reset(): void {
    this.requests = 0;
    this.rowsReturned = 0;
  }

  readonly policy: PipelinePolicy = {
    name: "benchRowCounter",
    sendRequest: async (request, next) => {
      this.requests += 1;
      const response = await next(request);
      if (request.method === "GET" && response.bodyAsText) {
        const body = JSON.parse(response.bodyAsText) as { value?: unknown[]; PartitionKey?: string };
        if (Array.isArray(body.value)) this.rowsReturned += body.value.length;
        else if (body.PartitionKey !== undefined) this.rowsReturned += 1;
      }
      return response;
    },
  };

  client(connectionString: string, table: string): TableClient {
    return TableClient.fromConnectionString(connectionString, table, {
      allowInsecureConnection: true,
      additionalPolicies: [{ policy: this.policy, position: "perCall" }],
    });
  }
}
