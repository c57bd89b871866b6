/**
 * For a spec that needs an installation of its own (a first run, or changes that would sign the
 * other specs out): a fresh Pebble and dashboard (install.ts) on a free port, started when the
 * spec first needs it and stopped after its last test. Every test of the spec talks to it
 * (baseURL) and starts signed out.
 */
import path from "node:path";
import { test } from "@playwright/test";
import { findFreePort } from "../../lib/testbed/pebble-testbed";
import { E2E_RUNTIME_DIR } from "./e2e-env";
import { startInstall, type Install } from "./install";
import { SIGNED_OUT } from "./session";

/** Call at the top of a spec file; returns the installation (available from the first hook or test on). */
export function withFreshInstall(label: string): () => Install {
  let starting: Promise<Install> | undefined;
  let install: Install | undefined;
  const start = () =>
    (starting ??= findFreePort().then(async (port) => {
      install = await startInstall({ dir: path.join(E2E_RUNTIME_DIR, `fresh-${label}`), port });
      return install;
    }));
  // Playwright resolves baseURL for the spec's first hook already, so that may start it too.
  test.use({
    storageState: SIGNED_OUT,
    baseURL: async ({}, provide) => {
      await provide((await start()).baseUrl);
    },
  });
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    await start();
  });
  test.afterAll(async () => {
    const started = await starting?.catch(() => undefined);
    starting = undefined;
    install = undefined;
    await started?.stop();
  });
  return () => {
    if (!install) throw new Error(`the fresh installation for ${label} has not started`);
    return install;
  };
}
