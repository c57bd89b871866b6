import { expect, test, type Page } from "@playwright/test";
import { withFreshInstall } from "./support/fresh-install";
import { ADMIN, createAdministrator, signIn, SIGNED_OUT } from "./support/session";

/*
 * On an installation of its own: changing the password and signing out everywhere end every
 * session of the administrator, which the other specs (sharing the dashboard's saved session)
 * must keep. Every test signs in itself: that is what is tested.
 */
const install = withFreshInstall("sign-in-hardening");

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext({ baseURL: install().baseUrl, storageState: SIGNED_OUT });
  await createAdministrator(await context.newPage(), install().dataDir);
  await context.close();
});

test.describe.configure({ mode: "serial" });

const TEMPORARY_PASSWORD = "a different long password";

async function submitSignIn(page: Page, username: string, password: string) {
  // The previous submission is over (the button is back from "Signing in…"): React resets the
  // form when it ends, which would otherwise empty the password typed below on a slow machine.
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeEnabled();
  await page.getByLabel("User name").fill(username);
  await page.getByLabel("Password").fill(password);
  await Promise.all([
    page.waitForResponse((response) => response.request().method() === "POST" && response.url().endsWith("/login")),
    page.getByRole("button", { name: "Sign in" }).click(),
  ]);
}

async function openAccount(page: Page) {
  await page.getByRole("link", { name: "Settings", exact: true }).click();
  await page.getByRole("link", { name: /^Account Change your password/ }).click();
  await expect(page).toHaveURL(/\/settings\/account$/);
  await expect(page.getByRole("heading", { name: "Account", exact: true })).toBeVisible();
}

async function changePassword(page: Page, current: string, next: string) {
  await page.getByLabel("Current password").fill(current);
  await page.getByLabel("New password", { exact: true }).fill(next);
  await page.getByLabel("Repeat the new password").fill(next);
  await page.getByRole("button", { name: "Change password" }).click();
}

test("refuses sign-in after five wrong passwords for a user name, with one message", async ({ page }) => {
  // A made-up user name, so the administrator is not locked out for the tests that follow.
  await page.goto("/login");
  // The form's own alert (Next.js adds an empty route announcer with the same role).
  const alert = page.locator("form").getByRole("alert");
  for (let attempt = 1; attempt <= 5; attempt++) {
    await submitSignIn(page, "mallory-e2e", `wrong password ${attempt}`);
    await expect(alert).toHaveText("Wrong user name or password.");
  }
  await submitSignIn(page, "mallory-e2e", "wrong password 6");
  await expect(alert).toHaveText(/^Too many sign-in attempts\. Try again in 1[45] minutes\.$/);
  await expect(page).toHaveURL(/\/login$/);

  // Another user name is not affected.
  await signIn(page);
});

test("changes the password, signs out other sessions, and signs in with the new one", async ({ page, browser }) => {
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage);

  await signIn(page);
  await openAccount(page);

  await changePassword(page, "not my password", TEMPORARY_PASSWORD);
  await expect(page.getByText("The current password is not right")).toBeVisible();
  await changePassword(page, ADMIN.password, "too short");
  await expect(page.getByText("Use at least 12 characters")).toBeVisible();

  await changePassword(page, ADMIN.password, TEMPORARY_PASSWORD);
  await expect(page.getByRole("status").filter({ hasText: "Password changed" })).toBeVisible();

  // This session stays; the other browser's is gone.
  await page.reload();
  await expect(page).toHaveURL(/\/settings\/account$/);
  await otherPage.goto("/");
  await expect(otherPage).toHaveURL(/\/login$/);
  await other.close();

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login$/);
  await submitSignIn(page, ADMIN.username, ADMIN.password);
  await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong user name or password.");
  await submitSignIn(page, ADMIN.username, TEMPORARY_PASSWORD);
  await expect(page).toHaveURL("/");

  // Back to the usual password, for the tests that follow.
  await openAccount(page);
  await changePassword(page, TEMPORARY_PASSWORD, ADMIN.password);
  await expect(page.getByRole("status").filter({ hasText: "Password changed" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await signIn(page);
});

test("signs out everywhere, this browser included", async ({ page, browser }) => {
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage);

  await signIn(page);
  await openAccount(page);
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);

  await otherPage.reload();
  await expect(otherPage).toHaveURL(/\/login$/);
  await other.close();

  await signIn(page);
});
