import { expect, type Page } from "@playwright/test";

/** The administrator first-certificate.spec.ts creates on first run (spec files run in order, one worker). */
export const ADMIN = { username: "admin", password: "correct horse battery" };

export async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("User name").fill(ADMIN.username);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL("/");
}
