import assert from "node:assert/strict";
import { describe, it } from "node:test";
import acme from "acme-client";
import { DIRECTORY_PRESETS, dryRunDirectoryFor, presetFor, presetLabelFor } from "./presets";

describe("CA presets", () => {
  it("have unique ids and https directory URLs", () => {
    assert.equal(new Set(DIRECTORY_PRESETS.map((preset) => preset.id)).size, DIRECTORY_PRESETS.length);
    for (const preset of DIRECTORY_PRESETS) assert.equal(new URL(preset.directoryUrl).protocol, "https:", preset.id);
  });

  it("say where to get EAB credentials for every CA that requires them", () => {
    for (const preset of DIRECTORY_PRESETS) {
      const source: string | undefined = "eabSource" in preset ? preset.eabSource : undefined;
      assert.equal(Boolean(source), preset.requiresEab, preset.id);
    }
    assert.deepEqual(
      DIRECTORY_PRESETS.filter((preset) => preset.requiresEab).map((preset) => preset.id),
      ["zerossl", "google", "google-staging", "sslcom-rsa", "sslcom-ecc"],
    );
  });

  it("agree with the directory URLs acme-client ships", () => {
    assert.equal(presetFor(acme.directory.letsencrypt.production)?.id, "letsencrypt");
    assert.equal(presetFor(acme.directory.letsencrypt.staging)?.id, "letsencrypt-staging");
    assert.equal(presetFor(acme.directory.zerossl.production)?.id, "zerossl");
    assert.equal(presetFor(acme.directory.google.production)?.id, "google");
    assert.equal(presetFor(acme.directory.google.staging)?.id, "google-staging");
  });

  it("find a preset despite a trailing slash, and nothing for a custom directory", () => {
    assert.equal(presetFor("https://acme.zerossl.com/v2/DV90/")?.id, "zerossl");
    assert.equal(presetLabelFor("https://ca.internal:9000/acme/acme/directory"), undefined);
  });
});

describe("dryRunDirectoryFor", () => {
  it("sends Let's Encrypt accounts to Let's Encrypt staging", () => {
    assert.equal(dryRunDirectoryFor("https://acme-v02.api.letsencrypt.org/directory"), "https://acme-staging-v02.api.letsencrypt.org/directory");
  });

  it("keeps a staging account, a CA without staging and Google (whose staging needs its own EAB) on their own directory", () => {
    for (const url of [
      "https://acme-staging-v02.api.letsencrypt.org/directory",
      "https://acme.zerossl.com/v2/DV90",
      "https://dv.acme-v02.api.pki.goog/directory",
      "https://127.0.0.1:14000/dir",
    ]) {
      assert.equal(dryRunDirectoryFor(url), url);
    }
  });
});
