import type { ApiOperation } from "@/lib/web/api/operations";
import {
  changeEndpointBodySchema,
  createEndpointBodySchema,
  deletedEndpointSchema,
  endpointDetailSchema,
  endpointListSchema,
  listEndpointsQuerySchema,
} from "@/lib/web/api/endpoint-schemas";

/** The REST API's operations on watched endpoints (part of API_OPERATIONS, lib/web/api/operations.ts). */
export const ENDPOINT_OPERATIONS = {
  listEndpoints: {
    method: "GET",
    path: "/endpoints",
    summary: "List watched endpoints",
    description:
      "With each one's last check: what is served, until when, whether it is the current version of its managed certificate, and what is wrong. Filters combine.",
    tag: "Endpoints",
    query: listEndpointsQuerySchema,
    success: { status: 200, description: "The endpoints, problems first.", schema: endpointListSchema },
  },
  createEndpoint: {
    method: "POST",
    path: "/endpoints",
    summary: "Watch an endpoint",
    description:
      "Validated exactly as the dashboard's form, and checked at once, inside the request (a check is bounded to about 10 s): the answer has the first result. Then checked every 6 hours while all is well, every hour while something is wrong.",
    tag: "Endpoints",
    body: createEndpointBodySchema,
    success: { status: 201, description: "The endpoint, with its first check.", schema: endpointDetailSchema },
  },
  getEndpoint: {
    method: "GET",
    path: "/endpoints/{id}",
    summary: "Get a watched endpoint",
    tag: "Endpoints",
    resource: "endpoint",
    success: { status: 200, description: "The endpoint, with the chain it served last.", schema: endpointDetailSchema },
  },
  changeEndpoint: {
    method: "PATCH",
    path: "/endpoints/{id}",
    summary: "Change a watched endpoint",
    description:
      "Send the fields to change. A change to what is checked (address, server name, CA bundle, certificate) checks at once. An endpoint watched for a deploy target keeps its address, server name and certificate (they follow the target): its label and CA bundle may change.",
    tag: "Endpoints",
    resource: "endpoint",
    body: changeEndpointBodySchema,
    success: { status: 200, description: "The endpoint as changed.", schema: endpointDetailSchema },
  },
  deleteEndpoint: {
    method: "DELETE",
    path: "/endpoints/{id}",
    summary: "Stop watching an endpoint",
    description: "Refused (409) for an endpoint watched for a deploy target: it goes when the target no longer verifies there.",
    tag: "Endpoints",
    resource: "endpoint",
    success: { status: 200, description: "No longer watched.", schema: deletedEndpointSchema },
    errors: ["conflict"],
  },
  checkEndpoint: {
    method: "POST",
    path: "/endpoints/{id}/check",
    summary: "Check an endpoint now",
    description: "As the dashboard's Check now: the check runs inside the request (bounded to about 10 s), not as a job, and the answer has its result.",
    tag: "Endpoints",
    resource: "endpoint",
    success: { status: 200, description: "The endpoint with the new result.", schema: endpointDetailSchema },
  },
} as const satisfies Record<string, ApiOperation>;
