import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test, type Page } from "@playwright/test";
import { E2E_PEBBLE_INFO, type PebbleInfo } from "./support/e2e-env";

const execFileAsync = promisify(execFile);

test.describe.configure({ mode: "serial" });

/** What the zone's admin does at the DNS host: add TXT records with a signed nsupdate. */
async function createTxtRecords(dns01: NonNullable<PebbleInfo["dns01"]>, name: string, values: string[]) {
  const [host, port] = dns01.dnsServer.split(":");
  const script = [`server ${host} ${port}`, `zone ${dns01.zone}.`, ...values.map((value) => `update add ${name}. 60 IN TXT "${value}"`), "send", ""].join("\n");
  const scriptPath = path.join(os.tmpdir(), `certdeck-e2e-nsupdate-${randomBytes(4).toString("hex")}.txt`);
  await writeFile(scriptPath, script);
  try {
    await execFileAsync("/usr/bin/nsupdate", ["-y", `${dns01.tsig.algorithm}:${dns01.tsig.name}:${dns01.tsig.secret}`, scriptPath], { timeout: 10_000 });
  } finally {
    await rm(scriptPath, { force: true });
  }
}

async function screenshots(page: Page, name: string) {
  await page.emulateMedia({ colorScheme: "light" });
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: `test-results/screens/${name}-dark.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: "light" });
}

async function setDnsResolvers(page: Page, value: string) {
  await page.goto("/settings");
  await page.getByLabel("DNS resolvers").fill(value);
  await page.getByRole("button", { name: "Save network settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
}

test("a wildcard certificate with the manual DNS provider: records shown, created at the DNS host, Done, issued", async ({ page }) => {
  // serve.ts starts the shared dashboard with the DNS-01 CA.
  const dns01 = (JSON.parse(await readFile(E2E_PEBBLE_INFO, "utf8")) as PebbleInfo).dns01!;

  // The operator's resolvers are the ones that know the zone (here: its own nameserver).
  await page.goto("/settings");
  const previousResolvers = await page.getByLabel("DNS resolvers").inputValue();
  await setDnsResolvers(page, dns01.dnsServer);
  try {
    // A manual DNS provider.
    await page.getByRole("link", { name: /DNS providers/ }).click();
    await expect(page.getByRole("heading", { name: "DNS providers" })).toBeVisible();
    await page.getByRole("link", { name: "Add DNS provider" }).click();
    await page.getByLabel("Name", { exact: true }).fill("By hand at the registrar");
    await page.getByLabel(/^Manual/).check();
    await expect(page.getByLabel("TSIG secret")).toBeHidden();
    await expect(page.getByText("Nothing to connect.")).toBeVisible();
    await page.getByRole("button", { name: "Add provider" }).click();
    await expect(page).toHaveURL(/\/settings\/dns\?saved=/);
    await expect(page.getByText("By hand at the registrar", { exact: true })).toBeVisible();
    await expect(page.getByText(/· no certificate uses it$/)).toBeVisible();
    await page.getByRole("button", { name: "Test By hand at the registrar" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Nothing to test" })).toContainText("you create the TXT records yourself");
    await screenshots(page, "dns-providers");
    await page.getByRole("link", { name: "Add DNS provider" }).click();
    await page.getByLabel(/^RFC 2136/).check();
    await expect(page.getByLabel("TSIG secret")).toBeVisible();
    await screenshots(page, "dns-provider-rfc2136-form");

    // An account at the CA that resolves through the DNS host.
    await page.goto("/accounts");
    await page.getByLabel("Another ACME CA (custom directory URL)").check();
    await page.getByRole("textbox", { name: "Directory URL" }).fill(dns01.directoryUrl);
    await page.getByLabel(/Trusted CA bundle/).fill(dns01.httpsCaPem);
    await page.getByLabel(/This CA is on my private network or this machine/).check();
    await page.getByLabel("Contact e-mail").fill("dns@example.test");
    await page.getByLabel("Name in CertDeck (optional)").fill("Pebble via BIND");
    await page.getByLabel(/I have read and agree/).check();
    await page.getByRole("button", { name: "Register account" }).click();
    await expect(page.getByText("Pebble via BIND")).toBeVisible();
    await expect(page.getByText(/\/my-account\//).last()).toBeVisible();

    // The add form says a wildcard needs DNS-01, and offers the provider.
    await page.goto("/certificates/new");
    await page.getByLabel("Names").fill(`*.${dns01.zone}\n${dns01.zone}`);
    await expect(page.getByText("Wildcards need DNS-01")).toBeVisible();
    await page.getByLabel("ACME account").selectOption({ label: "Pebble via BIND" });
    await page.getByLabel(/^DNS-01/).check();
    await expect(page.getByText("Wildcards need DNS-01")).toBeHidden();
    await page.getByLabel("DNS provider", { exact: true }).selectOption({ label: "By hand at the registrar (manual)" });
    await screenshots(page, "new-certificate-dns-01");
    await page.getByRole("button", { name: "Add and issue" }).click();

    // The job waits for the operator, and the page shows the records to create.
    await expect(page).toHaveURL(/\/certificates\/[a-z0-9]+$/);
    const panel = page.getByRole("region", { name: "Waiting for you: create these DNS records" });
    await expect(panel).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText("Waiting for you").first()).toBeVisible();
    const recordName = `_acme-challenge.${dns01.zone}`;
    await expect(panel.getByRole("cell", { name: recordName })).toHaveCount(2);
    const values = await panel.getByTestId("txt-value").allTextContents();
    expect(values).toHaveLength(2);
    for (const value of values) expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await screenshots(page, "manual-dns-waiting");

    // "Check now" before the records exist names the nameserver that lacks them.
    await panel.getByRole("button", { name: "Check now" }).click();
    await expect(panel.getByText("Not visible everywhere yet.")).toBeVisible();
    await expect(panel.getByText(new RegExp(`ns1\\.${dns01.zone.replace(".", "\\.")}`)).first()).toBeVisible();
    await screenshots(page, "manual-dns-check-missing");

    // The operator creates the records at the DNS host; the check now sees them.
    await createTxtRecords(dns01, recordName, values);
    await panel.getByRole("button", { name: "Check now" }).click();
    await expect(panel.getByText("Every authoritative nameserver shows the records: press Done.")).toBeVisible();

    // The overview shows the certificate waiting for the operator.
    const certificateUrl = page.url();
    await page.goto("/");
    await expect(page.getByRole("row", { name: new RegExp(`\\*\\.${dns01.zone.replace(".", "\\.")}`) }).getByText("Waiting for you")).toBeVisible();
    await page.goto(certificateUrl);

    await page.getByRole("button", { name: "Done — records created" }).click();
    await expect(page.getByRole("region", { name: "Waiting for you: create these DNS records" })).toBeHidden();
    const steps = page.getByRole("list", { name: "Job steps" }).first();
    await expect(steps.getByText("Operator confirmed the TXT records")).toBeVisible();
    await expect(steps.getByText(/You can now delete the TXT records at _acme-challenge\./)).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText("Succeeded")).toBeVisible();
    await expect(page.getByText(/^expires in (89|90) days$/).first()).toBeVisible();
    await expect(page.getByRole("link", { name: "By hand at the registrar" })).toBeVisible();
    await screenshots(page, "manual-dns-issued");

    // The provider is now in use: deleting it is refused with the certificate's name.
    await page.goto("/settings/dns");
    await expect(page.getByText("used by 1 certificate")).toBeVisible();
    await page.getByRole("button", { name: "Delete By hand at the registrar" }).click();
    await page.getByRole("button", { name: "Delete provider" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "is used by the certificate" })).toContainText(`*.${dns01.zone}`);
  } finally {
    await setDnsResolvers(page, previousResolvers);
  }
});
