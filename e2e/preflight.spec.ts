import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { ensurePebbleAccount } from "./support/accounts";
import { E2E_PEBBLE_INFO, E2E_PORT, type PebbleInfo } from "./support/e2e-env";

test.describe.configure({ mode: "serial" });

const ACCOUNT = "Pebble (preflight spec)";

/** POST to pebble-challtestsrv's management API, as the DNS admin would edit a zone. */
async function challtestsrv(info: PebbleInfo, endpoint: string, body: unknown) {
  const response = await fetch(`${info.challtestsrvManagementUrl}${endpoint}`, { method: "POST", body: JSON.stringify(body) });
  expect(response.ok, `${endpoint} answered ${response.status}`).toBe(true);
}

test("the Check button on the add form names an A record that points elsewhere", async ({ page }) => {
  const pebble = JSON.parse(await readFile(E2E_PEBBLE_INFO, "utf8")) as PebbleInfo;
  await ensurePebbleAccount(page, ACCOUNT);

  // Look at names through the test CA's DNS server; this host is 127.0.0.1, and Pebble
  // validates HTTP-01 on the dashboard's own port.
  await page.getByRole("link", { name: "Settings", exact: true }).click();
  await page.getByLabel("DNS resolvers").fill(pebble.dnsServer);
  await page.getByLabel("This host's public IPv4").fill("127.0.0.1");
  await page.getByLabel("This host's public IPv6").fill("");
  await page.getByLabel("HTTP-01 port the CA connects to").fill(String(E2E_PORT));
  await page.getByRole("button", { name: "Save network settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("DNS resolvers")).toHaveValue(pebble.dnsServer);

  // Invalid entries are refused with a message naming them.
  await page.getByLabel("This host's public IPv4").fill("127.0.0.1, 2001:db8::1");
  await page.getByRole("button", { name: "Save network settings" }).click();
  await expect(page.getByText('"2001:db8::1" is not an IPv4 address')).toBeVisible();
  await page.getByLabel("This host's public IPv4").fill("127.0.0.1");
  await page.getByRole("button", { name: "Save network settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();

  await challtestsrv(pebble, "/add-a", { host: "mismatch.example.test", addresses: ["127.0.0.2"] });

  await page.getByRole("link", { name: "Certificates" }).click();
  await page.getByRole("link", { name: "Add certificate" }).first().click();
  await page.getByLabel("ACME account").selectOption({ label: ACCOUNT });
  await page.getByLabel("Names").fill("mismatch.example.test");
  await page.getByRole("button", { name: "Check", exact: true }).click();
  const checks = page.getByRole("list", { name: "Checks for mismatch.example.test" });
  await expect(checks.getByText("mismatch.example.test has A 127.0.0.2, but this host is 127.0.0.1")).toBeVisible();
  await expect(checks.getByText(/Nothing accepts connections on 127\.0\.0\.2 port \d+ \(connection refused\)/)).toBeVisible();
  await expect(page.getByText("The CA would refuse: fix the failed checks first.")).toBeVisible();
  await page.screenshot({ path: "test-results/screens/preflight-add-form.png", fullPage: true });

  // A name that points here passes (the dashboard serves the challenge route itself).
  await page.getByLabel("Names").fill("fine.example.test");
  await page.getByRole("button", { name: "Check", exact: true }).click();
  await expect(page.getByText("All checks passed: the CA should be able to validate these names.")).toBeVisible();
  await expect(page.getByRole("list", { name: "Checks for fine.example.test" }).getByText("fine.example.test has A 127.0.0.1: this host.")).toBeVisible();

  // Added without "issue anyway", the job stops before asking the CA and the page says why.
  await page.getByLabel("Names").fill("mismatch.example.test");
  await expect(page.getByLabel("Issue even if the check fails (the job log records it)")).not.toBeChecked();
  await page.getByRole("button", { name: "Add and issue" }).click();
  await expect(page).toHaveURL(/\/certificates\/[a-z0-9]+$/);
  const failure = page.getByRole("alert").filter({ hasText: "Pre-flight check failed" });
  await expect(failure).toContainText("mismatch.example.test has A 127.0.0.2, but this host is 127.0.0.1.");
  await expect(failure).toContainText("Nothing was sent to the CA.");
  // The certificates list shows the same reason on the row.
  const detailUrl = page.url();
  await page.getByRole("link", { name: "Certificates", exact: true }).click();
  const row = page.getByRole("row", { name: /mismatch\.example\.test/ });
  await expect(row).toContainText("Pre-flight check failed: mismatch.example.test has A 127.0.0.2, but this host is 127.0.0.1.");
  await expect(row.getByText("Failed", { exact: true })).toBeVisible();
  await page.goto(detailUrl);
  // The job's report is kept on the page, and "Check" runs a new one once the record is fixed.
  const saved = page.getByRole("list", { name: "Checks for mismatch.example.test" });
  await expect(saved.getByText("mismatch.example.test has A 127.0.0.2, but this host is 127.0.0.1.")).toBeVisible();
  await challtestsrv(pebble, "/clear-a", { host: "mismatch.example.test" });
  await page.getByRole("button", { name: "Check", exact: true }).click();
  await expect(saved.getByText("mismatch.example.test has A 127.0.0.1: this host.")).toBeVisible();
  await expect(page.getByText("All checks passed: the CA should be able to validate these names.")).toBeVisible();
  await page.screenshot({ path: "test-results/screens/preflight-detail.png", fullPage: true });
});
