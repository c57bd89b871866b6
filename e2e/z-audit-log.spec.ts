import { expect, test } from "@playwright/test";
import { ADMIN, signIn } from "./support/session";

/*
 * Named z-… so it runs last (spec files run alphabetically, one worker): it reads what the
 * earlier specs did, first of all first-certificate.spec.ts adding, renewing and deleting
 * shop.example.test as the administrator.
 */

test("the audit log lists who did what, filters by action, and offers no way to change it", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page).toHaveURL("/audit");
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();

  // The specs before this one add more than a page of entries: look these up by action.
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
  const actions = await page.getByRole("row").filter({ hasNot: page.getByRole("columnheader") }).locator("td:nth-child(3)").allTextContents();
  expect(actions.length).toBeGreaterThan(0);
  expect(new Set(actions)).toEqual(new Set(["Added certificate"]));
  await expect(page.getByLabel("Action", { exact: true })).toHaveValue("certificate.add");

  // Read-only: nothing on the page edits or deletes an entry.
  await expect(page.getByRole("main").getByRole("button", { name: /delete|edit|remove/i })).toHaveCount(0);

  await page.getByRole("link", { name: "Clear" }).click();
  await expect(page).toHaveURL("/audit");
  await page.screenshot({ path: "test-results/screens/audit-log.png", fullPage: true });
});
