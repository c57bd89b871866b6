import { spawn, type ChildProcess } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { chmod, copyFile, mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { startNginxTestbed, type NginxTestbed } from "../lib/testbed/nginx-testbed";
import { findFreePort, startPebbleTestbed, type PebbleTestbed } from "../lib/testbed/pebble-testbed";
import { startSshdTestbed, type SshdTestbed } from "../lib/testbed/sshd-testbed";

/**
 * Deploy targets in the browser, self-contained: this spec starts its own CertDeck (the production
 * build on a fresh data directory), its own Pebble, an sshd with an nginx behind it (the "remote
 * host") and a second nginx on this machine that serves a copy of the files. It adds an SSH target
 * (generated key, pinned host key), deploys and sees it verified by what the host serves, then
 * sees the local nginx target roll back because that nginx never reads the new files.
 */
test.describe.configure({ mode: "serial" });

const RUNTIME = path.resolve(".test-runtime", "e2e-deploy-targets");
const DATA_DIR = path.join(RUNTIME, "data");
const NAME = "shop.deploy-e2e.test";
const NAMES = [NAME, `www.${NAME}`];
const ADMIN = { username: "admin", password: "correct horse battery" };

let base: string;
let pebble: PebbleTestbed;
let server: ChildProcess;
let sshd: SshdTestbed;
let remoteNginx: NginxTestbed;
let localNginx: NginxTestbed;
let certificateUrl: string;

const live = (file: string) => path.join(DATA_DIR, "live", NAME, file);
const remote = (file: string) => path.join(RUNTIME, "remote", "ssl", file);
const fingerprintOf = async (file: string) => new X509Certificate(await readFile(file, "utf8")).fingerprint256;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  await rm(RUNTIME, { recursive: true, force: true });
  await mkdir(DATA_DIR, { recursive: true });
  const port = await findFreePort();
  base = `http://127.0.0.1:${port}`;
  pebble = await startPebbleTestbed({ workDir: path.join(RUNTIME, "pebble"), httpPort: port });
  server = spawn(process.execPath, ["scripts/server.mjs"], {
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      CERTDECK_DATA_DIR: DATA_DIR,
      CERTDECK_TIME_ZONE: "UTC",
      CERTDECK_DNS_RESOLVERS: pebble.dnsServer,
      CERTDECK_PUBLIC_IPV4: "127.0.0.1",
      CERTDECK_VALIDATION_HTTP_PORT: String(port),
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const healthy = await fetch(`${base}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline || server.exitCode !== null) throw new Error("CertDeck did not start for the deploy targets spec");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  sshd = await startSshdTestbed({ workDir: path.join(RUNTIME, "sshd"), createUser: false });
});

test.afterAll(async () => {
  await remoteNginx?.stop();
  await localNginx?.stop();
  await sshd?.stop();
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  }
  await pebble?.stop();
});

async function signIn(page: Page) {
  await page.goto(`${base}/login`);
  await page.getByLabel("User name").fill(ADMIN.username);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${base}/`);
}

/**
 * Nothing in `scope` (default: the whole content, <main>) sticks out of the content at a phone's
 * width, so it never scrolls sideways. (The navigation bar and the certificate page's header
 * buttons belong to the layout and other parts of the page, measured by their own specs.)
 */
async function expectNoSidewaysScroll(page: Page, scope = "main") {
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate((selector) => {
    const main = document.querySelector("main")!;
    const right = main.getBoundingClientRect().right;
    const root = document.querySelector(selector)!;
    const wide = [root, ...root.querySelectorAll("*")].filter(
      (element) => element.getClientRects().length > 0 && element.getBoundingClientRect().right > right + 0.5,
    );
    return wide.slice(0, 3).map((element) => element.outerHTML.slice(0, 160));
  }, scope);
  expect(overflow, "nothing sticks out of the content at 390 px").toEqual([]);
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("first run, a Pebble account and a certificate served by CertDeck", async ({ page }) => {
  const setupCode = (await readFile(path.join(DATA_DIR, "setup-code.txt"), "utf8")).trim();
  await page.goto(`${base}/login`);
  await page.getByLabel("User name").fill(ADMIN.username);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
  await page.getByLabel("Repeat the password").fill(ADMIN.password);
  await page.getByLabel("Setup code").fill(setupCode);
  await page.getByRole("button", { name: "Create administrator" }).click();
  await expect(page).toHaveURL(`${base}/`);

  await page.getByRole("link", { name: "ACME accounts" }).click();
  await page.getByLabel("Another ACME CA (custom directory URL)").check();
  await page.getByRole("textbox", { name: "Directory URL" }).fill(pebble.directoryUrl);
  await page.getByLabel(/Trusted CA bundle/).fill(pebble.httpsCaPem);
  await page.getByLabel(/This CA is on my private network or this machine/).check();
  await page.getByLabel("Contact e-mail").fill("ops@example.test");
  await page.getByLabel(/I have read and agree/).check();
  await page.getByRole("button", { name: "Register account" }).click();
  await expect(page.getByText("Registered", { exact: true })).toBeVisible();

  await page.getByRole("link", { name: "Certificates" }).click();
  await page.getByRole("link", { name: "Add certificate" }).first().click();
  await page.getByLabel("Names").fill(NAMES.join("\n"));
  await page.getByRole("button", { name: "Add and issue" }).click();
  await expect(page).toHaveURL(/\/certificates\/[a-z0-9]+$/);
  await expect(page.getByText("Succeeded")).toBeVisible({ timeout: 30_000 });
  certificateUrl = page.url();
  await expect(page.getByRole("heading", { name: "Deploy targets" })).toBeVisible();
  await expect(page.getByText("No deploy target: new versions are written to live/ and the deploy hook runs.")).toBeVisible();

  // The "remote host": version 1 put there by hand once, served by its own nginx.
  await mkdir(remote(""), { recursive: true });
  await copyFile(live("fullchain.pem"), remote("fullchain.pem"));
  await copyFile(live("privkey.pem"), remote("privkey.pem"));
  await chmod(remote("privkey.pem"), 0o600);
  remoteNginx = await startNginxTestbed({
    workDir: path.join(RUNTIME, "remote-nginx"),
    sites: [{ serverNames: NAMES, certificatePath: remote("fullchain.pem"), keyPath: remote("privkey.pem") }],
  });
  expect(await remoteNginx.servedFingerprint()).toBe(await fingerprintOf(live("cert.pem")));
});

test("adds an SSH target with a generated key; Test pins the host key; Deploy now is verified by what the host serves", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: "Settings", exact: true }).click();
  await page.getByRole("link", { name: /Deploy targets/ }).click();
  await expect(page.getByRole("heading", { name: "Deploy targets" })).toBeVisible();
  await page.getByRole("link", { name: "Add deploy target" }).click();
  await page.getByRole("link", { name: /Remote host over SSH/ }).click();

  // Refused on its fields first: a key others may read, no key path.
  await page.getByLabel("Name", { exact: true }).fill("web-1");
  await page.getByLabel("Host", { exact: true }).fill("127.0.0.1");
  await page.getByLabel("Port", { exact: true }).fill(String(sshd.port));
  await page.getByLabel("User", { exact: true }).fill("root");
  await page.getByLabel("Full chain path").fill(remote("fullchain.pem"));
  await page.getByLabel("Key file mode").fill("0644");
  await page.getByRole("button", { name: "Add target" }).click();
  await expect(page.getByText("Enter where the private key goes, such as /etc/ssl/private/shop.key")).toBeVisible();
  await expect(page.getByText("Others must not read or write a private key: use 0600 or 0640")).toBeVisible();
  await expect(page.getByLabel("Key file mode")).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("Private key path").fill(remote("privkey.pem"));
  await page.getByLabel("Key file mode").fill("0600");
  await page.getByLabel("Default target").check();
  await expect(page.getByLabel("Generate a new key pair")).toBeChecked();
  await page.getByLabel("Reload command", { exact: true }).fill(remoteNginx.checkedReloadCommand);
  await page.getByLabel("Verify address", { exact: true }).fill(remoteNginx.address);
  await page.getByLabel("Verify timeout (seconds)").fill("10");
  await page.getByRole("button", { name: "Add target" }).click();
  await expect(page).toHaveURL(/\/settings\/deploy-targets\/[a-z0-9]+\?saved=1$/);
  const publicKey = (await page.getByTestId("public-key").textContent())?.trim() ?? "";
  expect(publicKey).toMatch(/^ssh-ed25519 AAAA\S+ certdeck-web-1$/);
  await expect(page.getByTestId("host-key")).toHaveText("not pinned yet: the first connection (Test) pins it");
  await expectNoSidewaysScroll(page);

  // The operator puts the public key into authorized_keys, then tests.
  await sshd.authorize(publicKey);
  await page.getByRole("button", { name: "Test web-1" }).click();
  await expect(page.getByRole("status").filter({ hasText: "First connection" })).toContainText(
    `the host key ED25519 ${sshd.hostKey.fingerprint} is now pinned`,
  );
  await page.reload();
  await expect(page.getByTestId("host-key")).toHaveText(`ED25519 ${sshd.hostKey.fingerprint}`);

  await page.goto(`${base}/settings/deploy-targets`);
  const row = page.getByTestId("target-web-1");
  await expect(row).toContainText("Default");
  await expect(row).toContainText(`host key ED25519 ${sshd.hostKey.fingerprint}`);
  await expectNoSidewaysScroll(page);

  // The certificate uses the default targets: web-1 has no version yet; Deploy now puts it there.
  await page.goto(certificateUrl);
  const card = page.getByTestId("deploy-target-web-1");
  await expect(card).toContainText("not deployed yet");
  await card.getByRole("button", { name: "Deploy now to web-1" }).click();
  await expect(card.getByText("✓ verified")).toBeVisible({ timeout: 30_000 });
  const fingerprint = await fingerprintOf(live("cert.pem"));
  await expect(card.getByTestId("served-fingerprint")).toHaveText(fingerprint);
  await expect(card).toContainText(`Version 1 served at ${remoteNginx.address}`);
  expect(await remoteNginx.servedFingerprint(`www.${NAME}`)).toBe(fingerprint);
  await page.screenshot({ path: "test-results/screens/deploy-targets-verified.png", fullPage: true });
  await expectNoSidewaysScroll(page, "[data-testid=deploy-targets]");
});

test("an nginx target whose nginx serves a copy of the files is rolled back, with the reason on the certificate page", async ({ page }) => {
  // A local nginx that was pointed at a copy: renewals never reach it.
  const copies = path.join(RUNTIME, "copies");
  await mkdir(copies, { recursive: true });
  await copyFile(live("fullchain.pem"), path.join(copies, "fullchain.pem"));
  await copyFile(live("privkey.pem"), path.join(copies, "privkey.pem"));
  localNginx = await startNginxTestbed({
    workDir: path.join(RUNTIME, "local-nginx"),
    sites: [{ serverNames: NAMES, certificatePath: path.join(copies, "fullchain.pem"), keyPath: path.join(copies, "privkey.pem") }],
  });

  await signIn(page);
  await page.goto(`${base}/settings/deploy-targets/new`);
  await page.getByRole("link", { name: /nginx on this server/ }).click();
  await page.getByLabel("Name", { exact: true }).fill("local nginx");
  await page.getByLabel("Test command", { exact: true }).fill(localNginx.testCommand);
  await page.getByLabel("Reload command", { exact: true }).fill(localNginx.reloadCommand);
  await page.getByLabel("Verify address", { exact: true }).fill(localNginx.address);
  await page.getByLabel("Verify timeout (seconds)").fill("3");
  await page.getByRole("button", { name: "Add target" }).click();
  await expect(page).toHaveURL(/\/settings\/deploy-targets\/[a-z0-9]+\?saved=1$/);
  await page.getByRole("button", { name: "Test local nginx" }).click();
  await expect(page.getByRole("status").filter({ hasText: "nginx accepts its configuration" })).toBeVisible();

  // This certificate deploys to both.
  await page.goto(certificateUrl);
  await page.getByText("Choose targets", { exact: true }).click();
  await page.getByLabel("Choose targets for this certificate").check();
  await page
    .getByRole("list", { name: "Targets" })
    .getByLabel(/local nginx/)
    .check();
  await page.getByRole("list", { name: "Targets" }).getByLabel(/web-1/).check();
  await page.getByRole("button", { name: "Save targets" }).click();
  await expect(page.getByText("Saved. The next deploy uses these targets.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Deploy targets" }).locator("..")).toContainText("Chosen for this certificate.");

  // Renew: version 2 reaches the SSH host (verified) but not the local nginx (rolled back).
  await page.getByRole("button", { name: "Renew", exact: true }).click();
  const local = page.getByTestId("deploy-target-local nginx");
  await expect(local.getByText("rolled back", { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(local).toContainText("Version 2: deploy failed, rolled back");
  await expect(local).toContainText(
    /Deploy failed, rolled back to version 1: nginx still serves version 1 \(fingerprint [0-9A-F:]+\) at 127\.0\.0\.1:\d+ for shop\.deploy-e2e\.test/,
  );
  const sshCard = page.getByTestId("deploy-target-web-1");
  await expect(sshCard.getByText("✓ verified")).toBeVisible();
  const version2 = await fingerprintOf(path.join(DATA_DIR, "archive", NAME, "cert2.pem"));
  await expect(sshCard.getByTestId("served-fingerprint")).toHaveText(version2);
  expect(await remoteNginx.servedFingerprint()).toBe(version2);
  await expect(page.getByRole("alert").filter({ hasText: "Version 2: issued, not deployed" })).toContainText(
    "local nginx: Deploy failed, rolled back to version 1",
  );
  await page.screenshot({ path: "test-results/screens/deploy-targets-rolled-back.png", fullPage: true });
  await expectNoSidewaysScroll(page, "[data-testid=deploy-targets]");
});
