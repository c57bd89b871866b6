import { expect, test, type Page } from "@playwright/test";

test.describe.configure({ mode: "serial" });

async function openRenewalSettings(page: Page) {
  await page.goto("/");
  await page.getByRole("link", { name: "Settings", exact: true }).click();
  await page.getByRole("link", { name: /Renewals and hooks/ }).click();
  await expect(page).toHaveURL(/\/settings\/renewals$/);
  await expect(page.getByRole("heading", { name: "Renewals and hooks" })).toBeVisible();
}

test("sets a global maintenance window, shows its next openings and refuses an invalid cron", async ({ page }) => {
  await openRenewalSettings(page);
  const input = page.getByLabel("Maintenance window", { exact: true });
  const savedWindow = page.getByTestId("saved-window");
  const openings = page.getByRole("list", { name: "Next openings" }).getByRole("listitem");

  // The server runs in UTC for the e2e tests (e2e/support/install.ts).
  await expect(page.getByText(/^\w{3}, \d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC$/)).toBeVisible();
  await expect(savedWindow).toHaveText("Any time: deploy hooks run as soon as a new version is written");

  await input.fill("Mon-Fri 01:00-03:00");
  await page.getByRole("button", { name: "Save window" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await expect(savedWindow).toHaveText("Monday to Friday, 01:00–03:00");
  await expect(openings).toHaveCount(3);
  for (let index = 0; index < 3; index++) {
    await expect(openings.nth(index)).toContainText(/^(Mon|Tue|Wed|Thu|Fri), \d{1,2} \w{3} \d{4}, 01:00 UTC → 03:00/);
  }
  await page.screenshot({ path: "test-results/screens/renewal-settings.png", fullPage: true });

  // An invalid cron is refused with a message naming the field; the saved window stays.
  await input.fill("0 3 * * 8");
  await page.getByRole("button", { name: "Save window" }).click();
  await expect(page.getByText('"0 3 * * 8": day-of-week must be 0-7 (or SUN-SAT)')).toBeVisible();
  await expect(input).toHaveAttribute("aria-invalid", "true");
  await expect(input).toHaveValue("0 3 * * 8");
  await expect(savedWindow).toHaveText("Monday to Friday, 01:00–03:00");

  await page.reload();
  await expect(input).toHaveValue("Mon-Fri 01:00-03:00");
  await expect(savedWindow).toHaveText("Monday to Friday, 01:00–03:00");
  await expect(openings).toHaveCount(3);

  // Leave no window behind for the other specs (they share this dashboard).
  await input.fill("");
  await page.getByRole("button", { name: "Save window" }).click();
  await expect(savedWindow).toHaveText("Any time: deploy hooks run as soon as a new version is written");
  await expect(openings).toHaveCount(0);
});

test("fills hooks from presets, asking for the systemd unit's name", async ({ page }) => {
  await openRenewalSettings(page);
  const deployHook = page.getByLabel("Deploy hook", { exact: true });
  const preHook = page.getByLabel("Pre-hook", { exact: true });

  await page.getByRole("button", { name: "Reload nginx (Deploy hook)" }).click();
  await expect(deployHook).toHaveValue("nginx -t && (systemctl reload nginx || nginx -s reload)");

  await page.getByRole("button", { name: "Restart a systemd unit… (Pre-hook)" }).click();
  const dialog = page.getByRole("dialog", { name: "Restart a systemd unit" });
  await dialog.getByLabel("Unit name").fill("bad unit; rm -rf /");
  await dialog.getByRole("button", { name: "Insert command" }).click();
  await expect(dialog.getByText('"bad unit; rm -rf /" is not a unit name: use letters, digits and @ . _ - only')).toBeVisible();
  await dialog.getByLabel("Unit name").fill("haproxy.service");
  await dialog.getByRole("button", { name: "Insert command" }).click();
  await expect(dialog).toBeHidden();
  await expect(preHook).toHaveValue("systemctl restart haproxy.service");

  await page.getByLabel("Timeout (seconds)").fill("0");
  await page.getByRole("button", { name: "Save hooks" }).click();
  await expect(page.getByText("At least 1 second")).toBeVisible();
  await page.getByLabel("Timeout (seconds)").fill("60");
  await page.getByRole("button", { name: "Save hooks" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await page.reload();
  await expect(deployHook).toHaveValue("nginx -t && (systemctl reload nginx || nginx -s reload)");
  await expect(preHook).toHaveValue("systemctl restart haproxy.service");
  await expect(page.getByLabel("Timeout (seconds)")).toHaveValue("60");

  // Leave no hooks behind for the other specs (they share this dashboard).
  await deployHook.fill("");
  await preHook.fill("");
  await page.getByLabel("Timeout (seconds)").fill("120");
  await page.getByRole("button", { name: "Save hooks" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await page.reload();
  await expect(deployHook).toHaveValue("");
});
