import { execFile } from "node:child_process";
import { createPrivateKey } from "node:crypto";
import { access, readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { withFreshInstall } from "./support/fresh-install";
import { ADMIN, signIn } from "./support/session";

/*
 * A newcomer's first session, on an installation of its own (the first run, then the only
 * certificates and account there): the administrator is created with the setup code, an account
 * registered, a certificate issued, renewed, downloaded, and deleted.
 */
const install = withFreshInstall("first-certificate");

test.describe.configure({ mode: "serial" });

test("first run creates the administrator with the setup code, who can sign out and in again", async ({ page }) => {
  const setupCodeFile = path.join(install().dataDir, "setup-code.txt");
  const setupCode = (await readFile(setupCodeFile, "utf8")).trim();
  expect(setupCode).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);

  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
  const heading = page.getByRole("heading", { name: /create the administrator/i });
  await expect(heading).toBeVisible();

  // Without the setup code (and with a short password) nothing happens.
  await page.getByLabel("User name").fill(ADMIN.username);
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByLabel("Repeat the password").fill("short");
  await page.getByRole("button", { name: "Create administrator" }).click();
  await expect(page.getByText("Use at least 12 characters")).toBeVisible();
  await expect(page.getByText("Enter the setup code from the server's log")).toBeVisible();

  // A wrong code is refused and the form stays.
  await page.getByLabel("Setup code").fill("AAAA-BBBB-CCCC-DDDD");
  await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
  await page.getByLabel("Repeat the password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create administrator" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "The setup code is not right" })).toContainText("setup-code.txt");
  await expect(heading).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);

  await page.getByLabel("Setup code").fill(setupCode);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
  await page.getByLabel("Repeat the password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create administrator" }).click();
  await expect(page).toHaveURL("/");
  await expect(access(setupCodeFile)).rejects.toThrow();
  await expect(page.getByRole("heading", { name: "Certificates" })).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.getByLabel("User name").fill(ADMIN.username);
  await page.getByLabel("Password").fill("wrong password!");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong user name" })).toHaveText("Wrong user name or password.");
  await signIn(page);
});

test("registers a Pebble account, issues a two-name certificate, shows its countdown and renews it", async ({ page }) => {
  const { pebble } = install();
  await signIn(page);

  // ACME account against the local CA, trusting its HTTPS certificate for this directory only.
  await page.getByRole("link", { name: "ACME accounts" }).click();
  await page.getByLabel("Another ACME CA (custom directory URL)").check();
  await page.getByRole("textbox", { name: "Directory URL" }).fill(pebble.directoryUrl);
  await page.getByLabel(/Trusted CA bundle/).fill(pebble.httpsCaPem);
  // Pebble listens on 127.0.0.1: a lab CA (a public account may not reach this machine).
  await page.getByLabel(/This CA is on my private network or this machine/).check();
  await page.getByRole("button", { name: "Check directory" }).click();
  await expect(page.getByText("Terms of service:")).toBeVisible();
  await expect(page.getByRole("link", { name: /^data:text\/plain/ })).toBeVisible();
  await page.getByLabel("Contact e-mail").fill("ops@example.test");
  await page.getByRole("button", { name: "Register account" }).click();
  await expect(page.getByText("You must agree to the CA's terms of service")).toBeVisible();
  await page.getByLabel(/I have read and agree/).check();
  await page.getByRole("button", { name: "Register account" }).click();
  await expect(page.getByText("Registered", { exact: true })).toBeVisible();
  await expect(page.getByText(/\/my-account\//)).toBeVisible();
  await page.screenshot({ path: "test-results/screens/accounts.png", fullPage: true });

  // Bad names are refused with a message naming the entry, and nothing is stored.
  await page.getByRole("link", { name: "Certificates" }).click();
  await page.getByRole("link", { name: "Add certificate" }).first().click();
  await page.getByLabel("Names").fill("shop.example.test\nbad_name.example.test");
  await page.getByRole("button", { name: "Add and issue" }).click();
  await expect(page.getByText(/"bad_name\.example\.test"/)).toBeVisible();
  await expect(page).toHaveURL(/\/certificates\/new$/);

  await page.getByLabel("Names").fill("shop.example.test\nwww.shop.example.test");
  await expect(page.getByText("location ^~ /.well-known/acme-challenge/")).toBeVisible();
  await page.screenshot({ path: "test-results/screens/new-certificate.png", fullPage: true });
  await page.getByRole("button", { name: "Add and issue" }).click();

  // The detail page follows the job live, without a reload.
  await expect(page).toHaveURL(/\/certificates\/[a-z0-9]+$/);
  await expect(page.getByRole("heading", { name: /shop\.example\.test/ })).toBeVisible();
  const steps = page.getByRole("list", { name: "Job steps" }).first();
  await expect(steps.getByText("Order created for shop.example.test, www.shop.example.test")).toBeVisible();
  await expect(steps.getByText("www.shop.example.test: validated")).toBeVisible();
  await expect(steps.getByText(/Files written: live\/shop\.example\.test\//)).toBeVisible();
  await expect(page.getByText("Succeeded")).toBeVisible();
  await expect(page.getByText(/^expires in (89|90) days$/).first()).toBeVisible();
  await page.screenshot({ path: "test-results/screens/certificate-detail.png", fullPage: true });

  // The list shows the countdown with the exact date on hover, and the overview counts it.
  await page.getByRole("link", { name: "Certificates" }).click();
  const row = page.getByRole("row", { name: /shop\.example\.test/ });
  const countdown = row.getByText(/^expires in (89|90) days$/);
  await expect(countdown).toBeVisible();
  await expect(countdown).toHaveAttribute("title", /^Expires .+ UTC$/);
  await expect(row.getByText("Valid", { exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: /^Valid 1$/ })).toBeVisible();
  await page.screenshot({ path: "test-results/screens/certificates.png", fullPage: true });

  // One click on Renew gives a second version.
  await row.getByRole("button", { name: "Renew shop.example.test" }).click();
  await row.getByRole("link", { name: "shop.example.test" }).click();
  await expect(page.getByRole("cell", { name: /^2\s*current$/ })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("cell", { name: /^1$/ })).toBeVisible();
  await expect(page.getByText(/Stored version 2: serial/)).toBeVisible();

  // "Test renewal" runs the whole flow as a dry run and shows the result; version 2 stays current.
  await page.getByRole("button", { name: "Test renewal" }).click();
  await expect(page.getByText("Test renewal succeeded: a real renewal would work with this configuration")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/issued a test certificate .* it was discarded/)).toBeVisible();
  await expect(page.getByRole("cell", { name: /^2\s*current$/ })).toBeVisible();
  await expect(page.getByRole("cell", { name: /^3\s*(current)?$/ })).toHaveCount(0);
  await expect(page.getByText(/^Next renewal$/)).toBeVisible();
  await page.screenshot({ path: "test-results/screens/certificate-after-dry-run.png", fullPage: true });

  // The private key leaves only as a deliberate download, after the password is typed again.
  await page.getByRole("button", { name: "privkey.pem" }).click();
  const keyDialog = page.getByRole("dialog", { name: "Download the private key" });
  await keyDialog.getByLabel("Your password").fill("not my password");
  await keyDialog.getByRole("button", { name: "Download" }).click();
  await expect(keyDialog.getByText(/That is not your password/)).toBeVisible();
  await keyDialog.getByLabel("Your password").fill(ADMIN.password);
  const download = page.waitForEvent("download");
  await keyDialog.getByRole("button", { name: "Download" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("shop.example.test-privkey2.pem");
  const pem = await readFile((await file.path())!, "utf8");
  expect(pem).toMatch(/^-----BEGIN (EC )?PRIVATE KEY-----/);
  await expect(keyDialog).toBeHidden();

  // The same key, with the certificate and chain, as a PFX protected by an export password.
  await page.getByRole("button", { name: "Download PFX" }).click();
  const pfxDialog = page.getByRole("dialog", { name: "Download as PFX (PKCS#12)" });
  await pfxDialog.getByLabel("Your password").fill(ADMIN.password);
  await pfxDialog.getByLabel("Export password for the file").fill("pfx export pass");
  await pfxDialog.getByLabel("Repeat the export password").fill("pfx export typo");
  await pfxDialog.getByRole("button", { name: "Download PFX" }).click();
  await expect(pfxDialog.getByText("The two export passwords differ")).toBeVisible();
  await pfxDialog.getByLabel("Your password").fill(ADMIN.password);
  await pfxDialog.getByLabel("Export password for the file").fill("pfx export pass");
  await pfxDialog.getByLabel("Repeat the export password").fill("pfx export pass");
  const pfxDownload = page.waitForEvent("download");
  await pfxDialog.getByRole("button", { name: "Download PFX" }).click();
  const pfxFile = await pfxDownload;
  expect(pfxFile.suggestedFilename()).toBe("shop.example.test-2.pfx");
  const opened = await promisify(execFile)("openssl", ["pkcs12", "-in", (await pfxFile.path())!, "-passin", "env:PFX_PASSWORD", "-nodes", "-info"], {
    env: { ...process.env, PFX_PASSWORD: "pfx export pass" },
  });
  const keyInPfx = opened.stdout.match(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/)?.[0];
  expect(keyInPfx && createPrivateKey(keyInPfx).equals(createPrivateKey(pem))).toBe(true);
  expect(opened.stdout.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2);
  expect(opened.stdout).toContain("subject=CN = shop.example.test");
  expect(opened.stderr).toMatch(/PBES2, PBKDF2, AES-256-CBC/);
  await expect(pfxDialog).toBeHidden();
});

test("signed out, pages and server actions are refused", async ({ page, context }) => {
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/login$/);
  const download = await page.request.get("/api/health");
  expect(download.status()).toBe(200);

  // Sign in, open a certificate, lose the session, then press Renew: the action is refused.
  await signIn(page);
  await page
    .getByRole("row", { name: /shop\.example\.test/ })
    .getByRole("link", { name: "shop.example.test", exact: true })
    .click();
  await expect(page.getByRole("cell", { name: /^2\s*current$/ })).toBeVisible();
  const detailUrl = page.url();
  await context.clearCookies();
  await page.getByRole("button", { name: "Renew", exact: true }).click();
  await expect(page).toHaveURL(/\/login$/);

  const api = await page.request.get(`${detailUrl.replace(/\/certificates\//, "/api/certificates/")}/fullchain`);
  expect(api.status()).toBe(401);

  await signIn(page);
  await page.goto(detailUrl);
  await expect(page.getByRole("cell", { name: /^2\s*current$/ })).toBeVisible();
  await expect(page.getByText("Renewing…")).toHaveCount(0);
  await expect(page.getByRole("cell", { name: /^3\s*(current)?$/ })).toHaveCount(0);
});

test("deletes a certificate after revoking it at the CA", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: "Certificates" }).click();
  await page.getByRole("link", { name: "Add certificate" }).first().click();
  await page.getByLabel("Names", { exact: true }).fill("retired.example.test");
  await page.getByRole("button", { name: "Add and issue" }).click();
  await expect(page.getByText("Succeeded")).toBeVisible({ timeout: 30_000 });

  await page.getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete retired.example.test?" });
  await dialog.getByLabel("Revoke at the CA first").check();
  await dialog.getByLabel("Reason").selectOption("cessationOfOperation");
  await dialog.getByRole("button", { name: "Revoke, then delete" }).click();
  await expect(page).toHaveURL("/");
  // The list follows the job: the certificate goes once the CA confirmed the revocation.
  await expect(page.getByRole("row", { name: /retired\.example\.test/ })).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByRole("row", { name: /shop\.example\.test/ })).toHaveCount(1);
});

test("deletes a certificate only after confirmation", async ({ page }) => {
  await signIn(page);
  await page
    .getByRole("row", { name: /shop\.example\.test/ })
    .getByRole("link", { name: "shop.example.test", exact: true })
    .click();
  await page.getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete shop.example.test?" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText(/move to deleted\//)).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  await page.getByRole("button", { name: "Delete" }).click();
  await dialog.getByRole("button", { name: "Delete certificate" }).click();
  await expect(page).toHaveURL("/");
  await expect(page.getByText("No certificates yet")).toBeVisible();
  await expect(page.getByRole("link", { name: /^Valid 0$/ })).toBeVisible();
});
