import { apiJson, apiRoute } from "@/lib/web/api/api-route";
import { openApiDocument } from "@/lib/web/api/openapi";

/** Behind a token like the rest of the API (any scope). */
export const GET = apiRoute("getOpenApiDocument", async () => apiJson(openApiDocument()));
