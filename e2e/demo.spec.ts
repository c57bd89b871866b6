import { spawn, type ChildProcess } from "node:child_process";
import { expect, test } from "@playwright/test";
import { findFreePort } from "../lib/testbed/pebble-testbed";
import { SIGNED_OUT } from "./support/session";

/**
 * `npm run demo` as a newcomer runs it: the dashboard plus a local Pebble with an account already
 * set up; a certificate for a made-up name is issued in the browser. (The README's promise.)
 * The demo is an installation of its own (data/demo, wiped at its start) on a free port.
 */
let demo: ChildProcess | undefined;

test.use({ storageState: SIGNED_OUT });

test.afterAll(async () => {
  if (demo?.pid) {
    process.kill(-demo.pid, "SIGTERM");
    await new Promise((resolve) => demo!.once("exit", resolve));
  }
});

test("npm run demo issues a certificate from the local CA in the browser", async ({ page }) => {
  test.setTimeout(120_000);
  const DEMO_PORT = Number(process.env.E2E_DEMO_PORT) || (await findFreePort());
  demo = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/demo.ts"], {
    env: { ...process.env, PORT: String(DEMO_PORT), CERTDECK_ADMIN_USER: "", CERTDECK_ADMIN_PASSWORD: "" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not get ready:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("ACME account registered with the local test CA")) {
        clearTimeout(timer);
        resolve();
      }
    };
    demo!.stdout!.on("data", onData);
    demo!.stderr!.on("data", onData);
    demo!.once("exit", (code) => reject(new Error(`the demo exited (${code}):\n${output}`)));
  });

  const base = `http://127.0.0.1:${DEMO_PORT}`;
  await page.goto(`${base}/login`);
  await page.getByLabel("User name").fill("admin");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${base}/`);
  await page.goto(`${base}/certificates/new`);
  await expect(page.getByLabel("ACME account")).toContainText("Pebble (local test CA)");
  await page.getByLabel("Names").fill("shop.example.test");
  await page.getByRole("button", { name: "Add and issue" }).click();
  await expect(page).toHaveURL(/\/certificates\/[a-z0-9]+$/);
  await expect(page.getByText("Succeeded")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/^expires in (89|90) days$/).first()).toBeVisible();
});
