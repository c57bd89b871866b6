import { apiJson, apiRoute } from "@/lib/api/api-route";
import { openApiDocument } from "@/lib/api/openapi";

/** Behind a token like the rest of the API (any scope). */
export const GET = apiRoute("getOpenApiDocument", async () => apiJson(openApiDocument()));
