import { expect, test } from "@playwright/test";
import { ensurePebbleAccount } from "./support/accounts";
import { ADMIN } from "./support/session";

/*
 * The audit log of the shared dashboard, after this spec made its own entries as the
 * administrator: shop.example.test (with www.) added, issued and deleted.
 */
const ACCOUNT = "Pebble (audit log spec)";

test("the audit log lists who did what, filters by action, and offers no way to change it", async ({ page }) => {
  await ensurePebbleAccount(page, ACCOUNT);
  await page.goto("/certificates/new");
  await page.getByLabel("ACME account").selectOption({ label: ACCOUNT });
  await page.getByLabel("Names").fill("shop.example.test\nwww.shop.example.test");
  await page.getByRole("button", { name: "Add and issue" }).click();
  await expect(page).toHaveURL(/\/certificates\/[a-z0-9]+$/);
  await expect(page.getByText("Succeeded")).toBeVisible({ timeout: 30_000 });
  await page.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog", { name: "Delete shop.example.test?" }).getByRole("button", { name: "Delete certificate" }).click();
  await expect(page).toHaveURL("/");

  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page).toHaveURL("/audit");
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();

  // Other specs may have added more than a page of entries: look these up by action.
  await page.goto("/audit?action=certificate.add");
  const added = page.getByRole("row").filter({ hasText: "Added certificate" }).filter({ hasText: "shop.example.test" });
  await expect(added).toHaveCount(1);
  await expect(added).toContainText(ADMIN.username);
  await expect(added).toContainText("names: shop.example.test, www.shop.example.test");
  await page.goto("/audit?action=certificate.delete");
  await expect(page.getByRole("row").filter({ hasText: "Deleted certificate" }).filter({ hasText: "shop.example.test" })).toHaveCount(1);
  await page.goto("/audit");

  // Filter by action: the choice lands in the URL and only matching entries remain.
  await page.getByLabel("Action", { exact: true }).selectOption({ label: "Added certificate" });
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/\/audit\?action=certificate\.add/);
  await expect(page.getByRole("row").filter({ hasText: "shop.example.test" })).toHaveCount(1);
  const actions = await page
    .getByRole("row")
    .filter({ hasNot: page.getByRole("columnheader") })
    .locator("td:nth-child(3)")
    .allTextContents();
  expect(actions.length).toBeGreaterThan(0);
  expect(new Set(actions)).toEqual(new Set(["Added certificate"]));
  await expect(page.getByLabel("Action", { exact: true })).toHaveValue("certificate.add");

  // Read-only: nothing on the page edits or deletes an entry.
  await expect(page.getByRole("main").getByRole("button", { name: /delete|edit|remove/i })).toHaveCount(0);

  await page.getByRole("link", { name: "Clear" }).click();
  await expect(page).toHaveURL("/audit");
  await page.screenshot({ path: "test-results/screens/audit-log.png", fullPage: true });
});
