import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { E2E_RUNTIME_DIR } from "./support/e2e-env";

/**
 * A newcomer's first visit, on a CertDeck of its own started from an empty data directory (so
 * it does not depend on what other specs did): the administrator with the setup code, then the
 * overview's steps: register an ACME account (a success notice, "Now add a certificate", a fresh
 * form after), add a certificate, see it issued.
 */
const RUNTIME_DIR = path.join(E2E_RUNTIME_DIR, "..", "e2e-first-run");
const ADMIN = { username: "firstrun", password: "a long first-run password" };
let instance: ChildProcess | undefined;
let base = "";

/** A port nothing listens on (Pebble validates HTTP-01 on the same one). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0 }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A screenshot of the step, attached to the report (and written to E2E_SCREENS_DIR when set). */
async function shot(page: Page, testInfo: TestInfo, name: string) {
  const body = await page.screenshot({ fullPage: true, animations: "disabled" });
  await testInfo.attach(name, { body, contentType: "image/png" });
  if (process.env.E2E_SCREENS_DIR) {
    await mkdir(process.env.E2E_SCREENS_DIR, { recursive: true });
    await writeFile(path.join(process.env.E2E_SCREENS_DIR, `first-run-${name.replace(/[^a-z0-9]+/gi, "-")}.png`), body);
  }
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  instance = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "e2e/support/fresh-instance.ts", RUNTIME_DIR, String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  instance.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  instance.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<never>((_, reject) => instance!.once("exit", (code) => reject(new Error(`the fresh instance exited (${code}):\n${output}`))));
  const ready = (async () => {
    for (const deadline = Date.now() + 90_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 500))) {
      const healthy = await fetch(`${base}/api/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (healthy) return;
    }
    throw new Error(`the fresh instance did not answer on ${base}:\n${output}`);
  })();
  await Promise.race([ready, exited]);
});

test.afterAll(async () => {
  if (instance?.pid && instance.exitCode === null) {
    process.kill(-instance.pid, "SIGTERM");
    await new Promise((resolve) => instance!.once("exit", resolve));
  }
});

test("from an empty data directory to an issued certificate, guided step by step", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const pebble = JSON.parse(await readFile(path.join(RUNTIME_DIR, "pebble.json"), "utf8")) as { directoryUrl: string; httpsCaPem: string };

  // The administrator, with the setup code the server wrote.
  await page.goto(`${base}/`);
  await expect(page).toHaveURL(`${base}/login`);
  await expect(page.getByRole("heading", { name: "Welcome: create the administrator" })).toBeVisible();
  const setupCode = (await readFile(path.join(RUNTIME_DIR, "data", "setup-code.txt"), "utf8")).trim();
  await page.getByLabel("Setup code").fill(setupCode);
  await page.getByLabel("User name").fill(ADMIN.username);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
  await page.getByLabel("Repeat the password").fill(ADMIN.password);
  await shot(page, testInfo, "1 create the administrator");
  await page.getByRole("button", { name: "Create administrator" }).click();

  // The overview says what comes next: an ACME account.
  await expect(page).toHaveURL(`${base}/`);
  await expect(page.getByText("No certificates yet")).toBeVisible();
  const step = (title: string) =>
    page
      .getByRole("main")
      .getByRole("listitem")
      .filter({ has: page.getByText(title) });
  await expect(step("Register an ACME account")).toHaveAttribute("aria-current", "step");
  await expect(step("Create the administrator")).toContainText("(done)");
  await shot(page, testInfo, "2 overview, no account yet");
  await page.getByRole("link", { name: "Register an ACME account" }).click();

  // The account: a success notice replaces the form, with the next step.
  await expect(page).toHaveURL(`${base}/accounts`);
  await page.getByLabel("Another ACME CA (custom directory URL)").check();
  await page.getByRole("textbox", { name: "Directory URL" }).fill(pebble.directoryUrl);
  await page.getByLabel(/Trusted CA bundle/).fill(pebble.httpsCaPem);
  await page.getByLabel(/This CA is on my private network or this machine/).check();
  await page.getByLabel("Contact e-mail").fill("first@example.test");
  await page.getByLabel("Name in CertDeck (optional)").fill("Local Pebble");
  await page.getByLabel(/I have read and agree/).check();
  await page.getByRole("button", { name: "Register account" }).click();
  const notice = page.getByRole("status").filter({ hasText: "Account added" });
  await expect(notice).toBeFocused();
  await expect(notice).toContainText("Account added: the CA has registered it.", { timeout: 30_000 });
  await expect(page.getByText("Registered", { exact: true })).toBeVisible();
  await expect(page.getByLabel("Contact e-mail")).toHaveCount(0);
  await shot(page, testInfo, "3 account added");

  // "Register another account" brings back an empty form: every field, the CA choice included.
  await notice.getByRole("button", { name: "Register another account" }).click();
  await expect(page.getByLabel("Contact e-mail")).toHaveValue("");
  await expect(page.getByLabel("Name in CertDeck (optional)")).toHaveValue("");
  await expect(page.getByLabel("Another ACME CA (custom directory URL)")).not.toBeChecked();
  await expect(page.getByRole("textbox", { name: "Directory URL" })).toHaveCount(0);
  await page.getByLabel("Another ACME CA (custom directory URL)").check();
  await expect(page.getByRole("textbox", { name: "Directory URL" })).toHaveValue("");
  await expect(page.getByLabel(/Trusted CA bundle/)).toHaveValue("");

  // The overview now points at the certificate.
  await page.getByRole("link", { name: "Certificates", exact: true }).click();
  await expect(step("Register an ACME account")).toContainText("Local Pebble is registered.");
  await expect(step("Register an ACME account")).not.toHaveAttribute("aria-current", "step");
  await expect(step("Add a certificate")).toHaveAttribute("aria-current", "step");
  await shot(page, testInfo, "4 overview, account registered");
  await step("Add a certificate").getByRole("link", { name: "Add certificate" }).click();

  // The certificate, issued while the page follows the job.
  await expect(page).toHaveURL(`${base}/certificates/new`);
  await page.getByLabel("Names").fill("first.example.test");
  await page.getByRole("button", { name: "Add and issue" }).click();
  await expect(page).toHaveURL(/\/certificates\/[a-z0-9]+$/);
  await expect(page.getByText("Succeeded")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/^expires in (89|90) days$/).first()).toBeVisible();
  await expect(page.getByText("Valid", { exact: true })).toBeVisible();
  // Each step of the log once: no line repeats the one before it.
  const lines = await page.getByRole("list", { name: "Job steps" }).first().locator("li > span").allTextContents();
  expect(lines.length).toBeGreaterThan(5);
  expect(lines.filter((line, index) => index > 0 && line === lines[index - 1])).toEqual([]);
  await shot(page, testInfo, "5 certificate issued");

  // The overview lists it; the steps are gone.
  await page.getByRole("link", { name: "Certificates", exact: true }).click();
  await expect(page.getByRole("row", { name: /first\.example\.test/ }).getByText(/^expires in (89|90) days$/)).toBeVisible();
  await expect(page.getByText("No certificates yet")).toHaveCount(0);
  await shot(page, testInfo, "6 overview with the certificate");
});
