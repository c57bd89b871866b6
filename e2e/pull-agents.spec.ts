import { expect, test } from "@playwright/test";
import { ensurePebbleAccount } from "./support/accounts";
import { ADMIN } from "./support/session";

const ACCOUNT = "Pebble (pull agents spec)";

/**
 * Pull agents on a certificate's page, in the browser against the production build: add a
 * puller (the password for the key scope, the token shown once with the one-line install), the
 * agent's API through proxy.ts with that token, the report on the page, and revoking.
 */
test("adds a puller, whose token fetches through the proxy, shows its report, and revokes it", async ({ page }) => {
  await ensurePebbleAccount(page, ACCOUNT);
  await page.goto("/certificates/new");
  await page.getByLabel("ACME account").selectOption({ label: ACCOUNT });
  await page.getByLabel("Names").fill("pull.example.test");
  await page.getByRole("button", { name: "Add and issue" }).click();
  await expect(page).toHaveURL(/\/certificates\/[a-z0-9]+$/);
  await expect(page.getByText("Succeeded")).toBeVisible({ timeout: 30_000 });
  const certificateUrl = page.url();

  const card = page.locator("section").filter({ has: page.getByRole("heading", { name: "Pull agents" }) });
  // A closed section under the certificate's settings: its heading opens it.
  await card.getByRole("heading", { name: "Pull agents" }).click();
  await expect(card.getByText("No puller yet.")).toBeVisible();
  await card.getByText("Add a puller").click();
  await card.getByRole("textbox", { name: "Machine" }).fill("web1");
  await card.getByLabel("Reload command (optional)").fill("systemctl reload nginx");
  // The key scope is the default and asks for the password again.
  await card.getByRole("button", { name: "Add puller" }).click();
  await expect(card.getByText("Enter your password: this puller may fetch the private key")).toBeVisible();
  await card.getByLabel("Your password").fill("not my password");
  await card.getByRole("button", { name: "Add puller" }).click();
  await expect(card.getByText(/That is not your password/)).toBeVisible();
  await card.getByLabel("Your password").fill(ADMIN.password);
  await card.getByRole("button", { name: "Add puller" }).click();

  const token = (await card.getByLabel("The new pull token", { exact: true }).textContent())?.trim() ?? "";
  expect(token).toMatch(/^cdp_[A-Za-z0-9_-]{43}$/);
  const origin = new URL(certificateUrl).origin;
  await expect(card.getByLabel("Install command", { exact: true })).toHaveText(
    `curl -fsS -H 'Authorization: Bearer ${token}' ${origin}/api/pull/v1/install | sudo CERTDECK_URL=${origin} DEST_DIR=/etc/certdeck/pull.example.test RELOAD_COMMAND='systemctl reload nginx' sh`,
  );
  await expect(card.getByRole("cell", { name: /^web1 Certificate and key/ })).toBeVisible();
  await expect(card.getByText("version 1 not installed yet")).toBeVisible();
  await page.screenshot({ path: "test-results/screens/pull-agents-added.png", fullPage: true });

  // The agent's API passes proxy.ts with the token, and only with it (the session cookie is not enough).
  const manifest = await page.request.get("/api/pull/v1/manifest", { headers: { authorization: `Bearer ${token}` } });
  expect(manifest.status()).toBe(200);
  const text = await manifest.text();
  expect(text).toContain("certificate=pull.example.test\n");
  expect(text).toContain("version=1\n");
  const etag = manifest.headers()["etag"];
  expect(etag).toMatch(/^"v1-[0-9a-f]{32}"$/);
  const again = await page.request.get("/api/pull/v1/manifest", { headers: { authorization: `Bearer ${token}`, "if-none-match": etag } });
  expect(again.status()).toBe(304);
  expect((await again.body()).length).toBe(0);
  const withCookieOnly = await page.request.get("/api/pull/v1/manifest");
  expect(withCookieOnly.status()).toBe(401);
  expect((await withCookieOnly.json()).error.code).toBe("unauthorized");
  const signedOut = await page.context().request.fetch("/api/pull/v1/files/privkey.pem", { headers: { cookie: "" } });
  expect(signedOut.status()).toBe(401);

  const report = await page.request.post("/api/pull/v1/report", { headers: { authorization: `Bearer ${token}` }, form: { version: "1", status: "installed" } });
  expect(report.status()).toBe(200);
  await page.goto(certificateUrl);
  await card.getByRole("heading", { name: "Pull agents" }).click();
  const row = card.getByRole("row").filter({ hasText: "web1" });
  await expect(row.getByText(/^Version 1/)).toBeVisible();
  await expect(row.getByText("127.0.0.1")).toBeVisible();
  await expect(row.getByText("Certificate and key")).toBeVisible();
  await expect(page.getByText(token)).toHaveCount(0);
  await page.screenshot({ path: "test-results/screens/pull-agents-installed.png", fullPage: true });

  await row.getByRole("button", { name: "Revoke the puller web1" }).click();
  await page.getByRole("dialog", { name: "Revoke the puller “web1”?" }).getByRole("button", { name: "Revoke puller" }).click();
  await expect(card.getByText("No puller yet.")).toBeVisible();
  expect((await page.request.get("/api/pull/v1/manifest", { headers: { authorization: `Bearer ${token}` } })).status()).toBe(401);
});
