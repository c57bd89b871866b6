import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, type APIRequestContext, type Page } from "@playwright/test";

/**
 * The administrator of every installation the tests make: auth.setup.ts creates it on the shared
 * dashboard (every spec then starts signed in as it, from E2E_ADMIN_SESSION), fresh installs
 * create their own (fresh-install.ts).
 */
export const ADMIN = { username: "admin", password: "correct horse battery" };

/** A browser state without any session: for what must be seen signed out, and for fresh installs. */
export const SIGNED_OUT = { cookies: [], origins: [] };

/**
 * Creates the administrator through the real first-run page, with the setup code the server
 * wrote to <data>/setup-code.txt, and ends signed in on the overview.
 */
export async function createAdministrator(page: Page, dataDir: string) {
  const setupCode = (await readFile(path.join(dataDir, "setup-code.txt"), "utf8")).trim();
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: /create the administrator/i })).toBeVisible();
  await page.getByLabel("Setup code").fill(setupCode);
  await page.getByLabel("User name").fill(ADMIN.username);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
  await page.getByLabel("Repeat the password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create administrator" }).click();
  await expect(page).toHaveURL("/");
}

/** Signs in through the sign-in page (for specs where signing in is what is tested, or that start signed out). */
export async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("User name").fill(ADMIN.username);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL("/");
}

/** An API client without the administrator's session (the `request` fixture carries it). */
export function signedOutRequest(
  playwright: { request: { newContext(options: { baseURL?: string; storageState?: typeof SIGNED_OUT }): Promise<APIRequestContext> } },
  baseURL: string,
) {
  return playwright.request.newContext({ baseURL, storageState: SIGNED_OUT });
}
