import { test as setup } from "@playwright/test";
import { E2E_ADMIN_SESSION, E2E_DATA_DIR } from "./support/e2e-env";
import { createAdministrator } from "./support/session";

/*
 * The setup project (playwright.config.ts): runs before the specs on the shared dashboard's fresh
 * data directory, creates the administrator through the first-run page and keeps the signed-in
 * session, which every spec starts with.
 */
setup("creates the administrator on the first run and keeps the signed-in session", async ({ page }) => {
  await createAdministrator(page, E2E_DATA_DIR);
  await page.context().storageState({ path: E2E_ADMIN_SESSION });
});
