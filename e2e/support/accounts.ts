import { readFile } from "node:fs/promises";
import { expect, type Page } from "@playwright/test";
import { E2E_PEBBLE_INFO, type PebbleInfo } from "./e2e-env";

/** The shared dashboard's CAs (install.ts writes them before the dashboard starts). */
export async function readPebbleInfo(): Promise<PebbleInfo> {
  return JSON.parse(await readFile(E2E_PEBBLE_INFO, "utf8")) as PebbleInfo;
}

/**
 * An ACME account named `label` at the shared dashboard's Pebble, registered through the
 * Accounts page unless the add form offers it already; returns once the add form does.
 */
export async function ensurePebbleAccount(page: Page, label: string) {
  const offered = page.getByLabel("ACME account").locator("option", { hasText: label });
  await page.goto("/certificates/new");
  if ((await offered.count()) > 0) return;

  const pebble = await readPebbleInfo();
  await page.goto("/accounts");
  await page.getByLabel("Another ACME CA (custom directory URL)").check();
  await page.getByRole("textbox", { name: "Directory URL" }).fill(pebble.directoryUrl);
  await page.getByLabel(/Trusted CA bundle/).fill(pebble.httpsCaPem);
  await page.getByLabel(/This CA is on my private network or this machine/).check();
  await page.getByLabel("Contact e-mail").fill("ops@example.test");
  await page.getByLabel("Name in CertDeck (optional)").fill(label);
  await page.getByLabel(/I have read and agree/).check();
  await page.getByRole("button", { name: "Register account" }).click();
  await expect(page.getByText(label, { exact: true }).first()).toBeVisible();
  // The add form lists an account once the CA has registered it (a job, about a second).
  await expect(async () => {
    await page.goto("/certificates/new");
    await expect(offered).toHaveCount(1, { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
}
