import http from "node:http";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { findFreePort, startPebbleTestbed, type PebbleTestbed } from "../lib/testbed/pebble-testbed";
import { E2E_PORT, E2E_RUNTIME_DIR } from "./support/e2e-env";
import { signedOutRequest } from "./support/session";

test.describe.configure({ mode: "serial" });

/**
 * Job progress reaches the pages as it happens (server-sent events), not when the job is over and
 * not by reloading the page every second. To see a step "while" it runs, this spec's own Pebble
 * validates HTTP-01 through a proxy that holds each request back for a moment, as a slow network
 * between the CA and the site would: between "Asking the CA to validate" and "validated" there is
 * always that much time.
 */
const VALIDATION_DELAY_MS = 2500;

let pebble: PebbleTestbed;
let slowProxy: http.Server;

test.beforeAll(async () => {
  const port = await findFreePort();
  slowProxy = http.createServer((request, response) => {
    setTimeout(() => {
      const upstream = http.request({ host: "127.0.0.1", port: E2E_PORT, path: request.url, method: request.method, headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      upstream.on("error", () => response.writeHead(502).end());
      request.pipe(upstream);
    }, VALIDATION_DELAY_MS);
  });
  await new Promise<void>((resolve) => slowProxy.listen(port, "127.0.0.1", resolve));
  pebble = await startPebbleTestbed({ workDir: path.join(E2E_RUNTIME_DIR, "pebble-slow"), httpPort: port });
});

test.afterAll(async () => {
  await pebble?.stop();
  await new Promise<void>((resolve) => {
    if (!slowProxy) return resolve();
    slowProxy.close(() => resolve());
    slowProxy.closeAllConnections();
  });
});

/** Marks the loaded document; a reload would lose the mark. Counts the page's requests from now on. */
async function watchRequests(page: Page) {
  await page.evaluate(() => Object.assign(window, { certdeckSameDocument: true }));
  const counts = { refreshes: 0, streams: [] as string[] };
  page.on("request", (request) => {
    const headers = request.headers();
    // router.refresh() fetches the page's server components (RSC): not a prefetch of a link, not a server action.
    if (headers.rsc === "1" && !headers["next-router-prefetch"] && !headers["next-action"]) counts.refreshes += 1;
    if (/\/api\/jobs\//.test(request.url())) counts.streams.push(new URL(request.url()).pathname);
  });
  return {
    counts,
    isSameDocument: () => page.evaluate(() => (window as unknown as { certdeckSameDocument?: boolean }).certdeckSameDocument === true),
  };
}

test("the certificate page shows each step while the job runs, and the issued state at the end without a reload", async ({ page }) => {
  await page.goto("/accounts");
  await page.getByLabel("Another ACME CA (custom directory URL)").check();
  await page.getByRole("textbox", { name: "Directory URL" }).fill(pebble.directoryUrl);
  await page.getByLabel(/Trusted CA bundle/).fill(pebble.httpsCaPem);
  await page.getByLabel(/This CA is on my private network or this machine/).check();
  await page.getByLabel("Contact e-mail").fill("live@example.test");
  await page.getByLabel("Name in CertDeck (optional)").fill("Slow Pebble");
  await page.getByLabel(/I have read and agree/).check();
  await page.getByRole("button", { name: "Register account" }).click();
  await expect(page.getByText("Slow Pebble")).toBeVisible();
  await expect(page.getByText(/\/my-account\//).last()).toBeVisible({ timeout: 30_000 });

  await page.goto("/certificates/new");
  await page.getByLabel("Names").fill("live.example.test");
  await page.getByLabel("ACME account").selectOption({ label: "Slow Pebble" });
  await page.getByRole("button", { name: "Add and issue" }).click();
  await expect(page).toHaveURL(/\/certificates\/[a-z0-9]+$/);
  const watch = await watchRequests(page);

  const timeline = page.getByTestId(/^job-/).first();
  const steps = timeline.getByRole("list", { name: "Job steps" });
  // A step in the middle of the job is on the page while the job is still running.
  await expect(steps.getByText("Asking the CA to validate")).toBeVisible();
  await expect(timeline.getByText("Running", { exact: true })).toBeVisible();
  await expect(steps.getByText("live.example.test: validated")).toHaveCount(0);
  await expect(steps.getByText("working…")).toBeVisible();
  // The CA's answer comes later and appears by itself.
  await expect(steps.getByText("live.example.test: validated")).toBeVisible({ timeout: 30_000 });
  await expect(steps.getByText(/Files written: live\/live\.example\.test\//)).toBeVisible();

  // At the end the page shows the issued certificate, rendered once more by itself.
  await expect(timeline.getByText("Succeeded", { exact: true })).toBeVisible();
  await expect(page.getByText(/^expires in (89|90) days$/).first()).toBeVisible();
  await expect(page.getByRole("cell", { name: /^1\s*current$/ })).toBeVisible();
  await expect(steps.getByText("working…")).toHaveCount(0);
  expect(await watch.isSameDocument(), "no reload").toBe(true);
  // One stream for the job, and a render per status change (running, succeeded), not one per second.
  expect(watch.counts.streams.filter((pathname) => pathname.endsWith("/events")).length).toBeGreaterThanOrEqual(1);
  expect(watch.counts.refreshes).toBeLessThanOrEqual(2);
  await page.screenshot({ path: "test-results/screens/live-job-log.png", fullPage: true });
});

test("the overview follows a renewal over the event stream and shows the result without a reload", async ({ page }) => {
  await page.goto("/");
  const row = page.getByRole("row", { name: /live\.example\.test/ });
  await expect(row.getByText("Valid", { exact: true })).toBeVisible();
  const watch = await watchRequests(page);
  await row.getByRole("button", { name: "Renew live.example.test" }).click();
  await expect(row.getByText("Renewing…")).toBeVisible();
  // The renewal takes at least the validation delay; the row changes back by itself.
  await expect(row.getByText("Valid", { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(row.getByText("Renewing…")).toHaveCount(0);
  expect(await watch.isSameDocument(), "no reload").toBe(true);
  expect(watch.counts.streams.some((pathname) => pathname === "/api/jobs/events")).toBe(true);
  expect(watch.counts.refreshes).toBeLessThanOrEqual(3);

  await row.getByRole("link", { name: "live.example.test" }).click();
  await expect(page.getByRole("cell", { name: /^2\s*current$/ })).toBeVisible();
});

test("the dashboard's stream needs the session; the API's needs a token", async ({ page, playwright, baseURL }) => {
  await page.goto("/");
  await page
    .getByRole("row", { name: /live\.example\.test/ })
    .getByRole("link", { name: "live.example.test" })
    .click();
  const jobId = (await page.getByTestId(/^job-/).first().getAttribute("data-testid"))!.replace(/^job-/, "");
  const signedIn = await page.request.get(`/api/jobs/${jobId}/events`, { headers: { accept: "text/event-stream" } });
  expect(signedIn.status()).toBe(200);
  expect(signedIn.headers()["content-type"]).toMatch(/^text\/event-stream/);
  const body = await signedIn.text();
  expect(body).toMatch(/^retry: \d+\n\n/);
  expect(body).toContain("event: log\n");
  expect(body).toMatch(/event: end\ndata: \{"jobId":"[a-z0-9]+","status":"succeeded","error":null\}\n\n$/);

  const request = await signedOutRequest(playwright, baseURL!);
  const signedOut = await request.get(`/api/jobs/${jobId}/events`, { headers: { accept: "text/event-stream" } });
  expect(signedOut.status()).toBe(401);
  const apiWithCookieOnly = await page.request.get(`/api/v1/jobs/${jobId}/events`, { headers: { accept: "text/event-stream" } });
  expect(apiWithCookieOnly.status()).toBe(401);
});
