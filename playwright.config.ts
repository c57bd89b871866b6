import { readdirSync } from "node:fs";
import { defineConfig, type Project } from "@playwright/test";
import { E2E_ADMIN_SESSION, E2E_BASE_URL, E2E_PORT } from "./e2e/support/e2e-env";

/**
 * End-to-end tests against the production build (`next build` runs before this in npm test),
 * Debian's Chromium, a fresh SQLite file and a local Pebble CA, all started by e2e/support/serve.ts.
 *
 * The "setup" project (e2e/auth.setup.ts) creates the administrator on the first run and saves
 * the signed-in session; every spec starts with it, makes the data it needs and depends on no
 * other spec, so each passes alone, in any order and in any shard. Specs that need a first run
 * of their own start a fresh installation (e2e/support/fresh-install.ts).
 *
 * E2E_ORDER=reverse runs the spec files in reverse order (one project per file, each depending
 * on the one before), to check that no spec relies on another having run first.
 */
const signedIn: Project["use"] = { storageState: E2E_ADMIN_SESSION };
const setup: Project = { name: "setup", testMatch: /auth\.setup\.ts$/ };
const specFiles = readdirSync("e2e")
  .filter((file) => file.endsWith(".spec.ts"))
  .sort();

const projects: Project[] =
  process.env.E2E_ORDER === "reverse"
    ? [
        setup,
        ...specFiles.reverse().map((file, index, files) => ({
          name: file,
          testMatch: new RegExp(`/${file.replace(/\./g, "\\.")}$`),
          dependencies: [index === 0 ? "setup" : files[index - 1]],
          use: signedIn,
        })),
      ]
    : [setup, { name: "chromium", dependencies: ["setup"], use: signedIn }];

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  forbidOnly: Boolean(process.env.CI),
  reporter: [["list"]],
  projects,
  use: {
    baseURL: E2E_BASE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    timezoneId: "UTC",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  webServer: {
    command: "node --conditions=react-server --import tsx e2e/support/serve.ts",
    url: `${E2E_BASE_URL}/api/health`,
    timeout: 90_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: { PORT: String(E2E_PORT) },
  },
});
