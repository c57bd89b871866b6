import "server-only";
import { AppError } from "@/lib/core/app-error";
import { authenticatePuller, type AuthenticatedPuller } from "@/lib/domain/deploy/pull/authenticate-puller";
import { assertPullerCertificate, type PullAnswer } from "@/lib/domain/deploy/pull/pull-service";
import { clientAddressOf } from "@/lib/web/client-address";
import { API_RESPONSE_HEADERS, httpErrorResponse } from "@/lib/web/http-error";
import { readBodyText } from "@/lib/web/request-body";

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

export interface PullRequestInput {
  request: Request;
  puller: AuthenticatedPuller;
  params: Record<string, string | string[] | undefined>;
  query: URLSearchParams;
}

/**
 * A route handler of the pull API (/api/pull/v1, used by agent/certdeck-pull). In this order: the
 * puller's bearer token (401; never the session cookie, so a browser cannot be made to call it),
 * which also records the fetch; ?certificate=… when the agent names the certificate it expects
 * (403 for another one); then `handle`. Errors have the REST API's shape (lib/web/http-error.ts).
 */
export function pullRoute(where: string, handle: (input: PullRequestInput) => Promise<Response>) {
  return async (request: Request, context: RouteContext): Promise<Response> => {
    try {
      const puller = await authenticatePuller({ authorization: request.headers.get("authorization"), address: clientAddressOf(request.headers) });
      const query = new URL(request.url).searchParams;
      if (query.getAll("certificate").length > 1) throw new AppError("bad_request", "Give the query parameter certificate once.");
      assertPullerCertificate(puller, query.get("certificate"));
      return await handle({ request, puller, params: await context.params, query });
    } catch (error) {
      return httpErrorResponse(error, `pull API ${request.method} ${where}`);
    }
  };
}

/**
 * A conditional answer: 304 with the ETag and no body when the client has this version, else 200
 * with the body. The version rides along as a header for people reading with curl -i.
 */
export function pullAnswerResponse(answer: PullAnswer, contentType: string): Response {
  const headers = { ...API_RESPONSE_HEADERS, etag: answer.etag, "x-certdeck-version": String(answer.version) };
  if (answer.body === null) return new Response(null, { status: 304, headers });
  return new Response(answer.body, { status: 200, headers: { ...headers, "content-type": contentType } });
}

/**
 * The fields of a report: a form (curl --data-urlencode, what the agent sends) or a JSON object.
 * Repeated form fields are refused rather than guessed at.
 */
export async function readReportFields(request: Request): Promise<unknown> {
  const contentType = (request.headers.get("content-type") ?? "").toLowerCase();
  const text = await readBodyText(request, 64 * 1024);
  if (/^application\/x-www-form-urlencoded\s*(;|$)/.test(contentType)) {
    const fields: Record<string, string> = Object.create(null);
    for (const [key, value] of new URLSearchParams(text)) {
      if (key in fields) throw new AppError("bad_request", `Give the field ${key.slice(0, 40)} once.`);
      fields[key] = value;
    }
    return { ...fields };
  }
  if (/^application\/([\w.-]+\+)?json\s*(;|$)/.test(contentType)) {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new AppError("bad_request", `The report is not valid JSON (${(error as Error).message}).`);
    }
  }
  throw new AppError("unsupported_media_type", "Send the report as a form (application/x-www-form-urlencoded, as curl --data-urlencode does) or as JSON.");
}
