/**
 * For a spec that needs an installation of its own (a first run, or changes that would sign the
 * other specs out): a fresh Pebble and dashboard (install.ts) on a free port, started before the
 * spec's first test and stopped after its last. Every test of the spec talks to it (baseURL) and
 * starts signed out.
 */
import path from "node:path";
import { test } from "@playwright/test";
import { findFreePort } from "../../lib/testbed/pebble-testbed";
import { E2E_RUNTIME_DIR } from "./e2e-env";
import { startInstall, type Install } from "./install";
import { SIGNED_OUT } from "./session";

/** Call at the top of a spec file; returns the installation (available from the first test on). */
export function withFreshInstall(label: string): () => Install {
  let install: Install | undefined;
  const current = () => {
    if (!install) throw new Error(`the fresh installation for ${label} has not started`);
    return install;
  };
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    install = await startInstall({ dir: path.join(E2E_RUNTIME_DIR, `fresh-${label}`), port: await findFreePort() });
  });
  test.afterAll(async () => {
    await install?.stop();
    install = undefined;
  });
  test.use({
    storageState: SIGNED_OUT,
    baseURL: async ({}, provide) => {
      await provide(current().baseUrl);
    },
  });
  return current;
}
