import { expect, test } from "@playwright/test";
import { E2E_BASE_URL } from "./support/e2e-env";
import { signedOutRequest } from "./support/session";

/*
 * Settings → API tokens against the production server: a token is shown once, works for the
 * REST API and /metrics through proxy.ts, is refused on changes when read-only, and stops
 * working when revoked. The page is the signed-in administrator; `request` is a client without
 * the session, as a script or Prometheus would be.
 */
test("an API token is shown once, drives the API and /metrics, and stops working when revoked", async ({ page, playwright }) => {
  const request = await signedOutRequest(playwright, E2E_BASE_URL);
  await page.goto("/");
  await page.getByRole("link", { name: "Settings", exact: true }).click();
  await page.getByRole("link", { name: /API tokens and metrics/ }).click();
  await expect(page).toHaveURL("/settings/api-tokens");

  // Refused input changes nothing and says why.
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByText(/Name the token after what uses it/)).toBeVisible();

  await page.getByLabel("Name").fill("e2e inventory");
  await page.getByLabel(/Read-only/).check();
  await page.getByRole("button", { name: "Create token" }).click();
  const shown = page.getByLabel("The new API token");
  await expect(shown).toHaveText(/^cdk_[A-Za-z0-9_-]{43}$/);
  const token = (await shown.textContent())!;
  const row = page.getByRole("row").filter({ hasText: "e2e inventory" });
  await expect(row).toContainText(`${token.slice(0, 12)}…`);
  await expect(row).toContainText("Read-only");
  await expect(row).toContainText("Never");
  await page.screenshot({ path: "test-results/screens/api-tokens.png", fullPage: true });
  const authorization = { authorization: `Bearer ${token}` };

  // The REST API through the real server and proxy.ts.
  const list = await request.get("/api/v1/certificates?pageSize=5", { headers: authorization });
  expect(list.status()).toBe(200);
  expect(await list.json()).toMatchObject({ page: 1, pageSize: 5, certificates: expect.any(Array) });
  const create = await request.post("/api/v1/certificates", {
    headers: authorization,
    data: { names: ["readonly.example.test"], challengeMethod: "http-01-app", keyType: "ec-p256", accountId: "none" },
  });
  expect(create.status()).toBe(403);
  expect((await create.json()).error.code).toBe("forbidden");
  const document = await request.get("/api/v1/openapi.json", { headers: authorization });
  expect((await document.json()).openapi).toBe("3.1.0");
  // No token: 401 in the API's error shape; the signed-in browser's cookie is not a token.
  const anonymous = await request.get("/api/v1/certificates");
  expect(anonymous.status()).toBe(401);
  expect((await anonymous.json()).error.code).toBe("unauthorized");
  expect((await page.request.get("/api/v1/certificates")).status()).toBe(401);

  // Prometheus, with the token; the server's scheduler has ticked.
  const metrics = await request.get("/metrics", { headers: authorization });
  expect(metrics.status()).toBe(200);
  expect(metrics.headers()["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
  const exposition = await metrics.text();
  expect(exposition).toContain("# TYPE certdeck_certificates gauge");
  expect(exposition).toMatch(/^certdeck_scheduler_last_tick_timestamp_seconds \d+(\.\d+)?$/m);
  expect((await request.get("/metrics")).status()).toBe(401);

  // Shown once: after a reload only the prefix remains, and the use is recorded.
  await page.reload();
  await expect(page.getByLabel("The new API token")).toHaveCount(0);
  await expect(page.getByText(token)).toHaveCount(0);
  await expect(row).not.toContainText("Never");

  // The allow-list: this browser's test runner scrapes from the loopback address.
  const allowList = page.getByLabel("Addresses allowed without a token");
  await allowList.fill("prometheus.local");
  await page.getByRole("button", { name: "Save metrics access" }).click();
  await expect(page.getByText('"prometheus.local" is not an IP address or a CIDR range such as 10.0.0.0/8')).toBeVisible();
  const scrapeWithoutToken = async () => (await request.get("/metrics")).status();
  await allowList.fill("127.0.0.0/8, ::1");
  await page.getByRole("button", { name: "Save metrics access" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await expect.poll(scrapeWithoutToken).toBe(200);
  await allowList.fill("");
  await page.getByRole("button", { name: "Save metrics access" }).click();
  await expect.poll(scrapeWithoutToken).toBe(401);
  await page.reload();
  await expect(allowList).toHaveValue("");

  // Revoked: the next request is refused.
  await row.getByRole("button", { name: "Revoke e2e inventory" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke token" }).click();
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button", { name: "Revoke e2e inventory" })).toHaveCount(0);
  expect((await request.get("/api/v1/certificates", { headers: authorization })).status()).toBe(401);
  expect((await request.get("/metrics", { headers: authorization })).status()).toBe(401);
  await request.dispose();
});
