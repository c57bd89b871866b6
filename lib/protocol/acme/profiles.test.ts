import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import type { AcmeDirectory } from "./directory";
import { buildNewOrderPayload } from "./new-order-payload";
import { chooseProfile, chooseProfileForJob, listDirectoryProfiles } from "./profiles";
import { LAB_NAME_OPTIONS, parseNames, type Identifier } from "@/lib/protocol/names/names";

function recordedDirectory(file: string): AcmeDirectory {
  return JSON.parse(readFileSync(path.join(import.meta.dirname, "fixtures", file), "utf8")) as AcmeDirectory;
}

// Let's Encrypt's production directory as served in 2026, its staging directory of 2025 (shortlived
// still marked "not yet generally available") and Pebble 2.4's (no profiles, no ARI).
const letsEncrypt = recordedDirectory("letsencrypt-production-directory-2026.json");
const letsEncryptStaging = recordedDirectory("letsencrypt-staging-directory-2025.json");
const pebble = recordedDirectory("pebble-2.4-directory.json");
// A private CA (step-ca style) advertising its own profiles: no Let's Encrypt rules apply.
const privateCa: AcmeDirectory = {
  newNonce: "https://ca.internal.example/acme/new-nonce",
  newAccount: "https://ca.internal.example/acme/new-account",
  newOrder: "https://ca.internal.example/acme/new-order",
  meta: { profiles: { server: "TLS server certificates, 30 days", shortlived: "7 days; IP addresses allowed" } },
};

/** Parsed as the lab setup parses them: the examples use documentation and loopback addresses. */
function names(input: string): Identifier[] {
  const parsed = parseNames(input, LAB_NAME_OPTIONS);
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  return parsed.identifiers;
}

/** The newOrder payload the job sends for these names and this requested profile. */
function payloadFor(input: string, requested: string | undefined, directory: AcmeDirectory) {
  const identifiers = names(input);
  const choice = chooseProfile(requested, identifiers, directory);
  if (!choice.ok) throw new Error(choice.error);
  return buildNewOrderPayload({ identifiers, profile: choice.profile });
}

describe("profiles advertised in a directory", () => {
  it("lists Let's Encrypt's profiles in the directory's order, with their documentation links and known rules", () => {
    const profiles = listDirectoryProfiles(letsEncrypt);
    assert.deepEqual(
      profiles.map(({ name, documentationUrl }) => [name, documentationUrl]),
      [
        ["classic", "https://letsencrypt.org/docs/profiles#classic"],
        ["shortlived", "https://letsencrypt.org/docs/profiles#shortlived"],
        ["tlsclient", "https://letsencrypt.org/docs/profiles#tlsclient"],
        ["tlsserver", "https://letsencrypt.org/docs/profiles#tlsserver"],
      ],
    );
    assert.deepEqual(profiles.find((profile) => profile.name === "shortlived")?.rules, {
      lifetime: "160 hours (about 6.7 days)",
      maxNames: 25,
      allowsIpAddresses: true,
    });
    assert.equal(profiles.find((profile) => profile.name === "classic")?.rules?.maxNames, 100);
    assert.equal(profiles.find((profile) => profile.name === "tlsclient")?.rules, null, "no rules invented for a profile CertDeck does not know");
  });

  it("keeps a description that is more than a link, and links only its leading URL", () => {
    const shortlived = listDirectoryProfiles(letsEncryptStaging).find((profile) => profile.name === "shortlived");
    assert.equal(shortlived?.description, "https://letsencrypt.org/docs/profiles#shortlived (not yet generally available)");
    assert.equal(shortlived?.documentationUrl, "https://letsencrypt.org/docs/profiles#shortlived");
    const server = listDirectoryProfiles(privateCa).find((profile) => profile.name === "server");
    assert.deepEqual(server, { name: "server", description: "TLS server certificates, 30 days", documentationUrl: null, rules: null });
  });

  it("finds none in Pebble's directory or a malformed meta.profiles", () => {
    assert.deepEqual(listDirectoryProfiles(pebble), []);
    assert.deepEqual(listDirectoryProfiles({ meta: { profiles: ["classic"] as unknown as Record<string, string> } }), []);
  });
});

describe("choosing the profile for newOrder", () => {
  it("sends nothing when the CA advertises no profiles", () => {
    assert.deepEqual(payloadFor("www.example.com", undefined, pebble), { identifiers: [{ type: "dns", value: "www.example.com" }] });
    assert.deepEqual(payloadFor("127.0.0.1", undefined, pebble), { identifiers: [{ type: "ip", value: "127.0.0.1" }] });
  });

  it("refuses a profile the CA does not advertise, before ordering", () => {
    assert.deepEqual(chooseProfile("shortlived", names("example.com"), pebble), {
      ok: false,
      error: 'This CA does not offer profiles, so "shortlived" cannot be requested. Leave the profile empty.',
    });
    assert.deepEqual(chooseProfile("short-lived", names("example.com"), letsEncrypt), {
      ok: false,
      error: 'The CA does not offer the profile "short-lived"; it offers "classic", "shortlived", "tlsclient", "tlsserver".',
    });
  });

  it("sends the chosen profile, and nothing for the CA's default", () => {
    assert.deepEqual(payloadFor("example.com www.example.com", "tlsserver", letsEncrypt), {
      identifiers: [
        { type: "dns", value: "example.com" },
        { type: "dns", value: "www.example.com" },
      ],
      profile: "tlsserver",
    });
    assert.deepEqual(payloadFor("example.com", undefined, letsEncrypt), { identifiers: [{ type: "dns", value: "example.com" }] });
    assert.deepEqual(payloadFor("example.com", "", letsEncrypt), { identifiers: [{ type: "dns", value: "example.com" }] });
  });

  it("picks shortlived for IP addresses when nothing was chosen, at Let's Encrypt and at any CA offering it", () => {
    assert.deepEqual(payloadFor("192.0.2.10 [2001:DB8::1] host.example.com", undefined, letsEncrypt), {
      identifiers: [
        { type: "ip", value: "192.0.2.10" },
        { type: "ip", value: "2001:db8::1" },
        { type: "dns", value: "host.example.com" },
      ],
      profile: "shortlived",
    });
    assert.deepEqual(payloadFor("10.0.0.5", undefined, privateCa), { identifiers: [{ type: "ip", value: "10.0.0.5" }], profile: "shortlived" });
    assert.deepEqual(payloadFor("10.0.0.5", "server", privateCa), { identifiers: [{ type: "ip", value: "10.0.0.5" }], profile: "server" });
  });

  it("refuses IP addresses with a Let's Encrypt profile for DNS names only", () => {
    for (const profile of ["classic", "tlsserver"]) {
      assert.deepEqual(chooseProfile(profile, names("192.0.2.10"), letsEncrypt), {
        ok: false,
        error: `The profile "${profile}" is for DNS names only; this CA issues certificates for IP addresses only with "shortlived". Choose it, or leave the profile empty to get it automatically.`,
      });
    }
  });

  it("holds Let's Encrypt's name limits: 100 with classic, 25 with tlsserver and shortlived", () => {
    const hundred = Array.from({ length: 100 }, (_, index) => `n${index}.example.com`).join(" ");
    const twentySix = Array.from({ length: 26 }, (_, index) => `n${index}.example.com`).join(" ");
    assert.deepEqual(chooseProfile(undefined, names(hundred), letsEncrypt), { ok: true, profile: undefined });
    assert.deepEqual(chooseProfile("classic", names(hundred), letsEncrypt), { ok: true, profile: "classic" });
    assert.deepEqual(chooseProfile("tlsserver", names(twentySix), letsEncrypt), {
      ok: false,
      error:
        'The profile "tlsserver" allows at most 25 names per certificate; this one has 26. Split the names over several certificates, or choose "classic".',
    });
    const ipsAndNames = `192.0.2.1 ${Array.from({ length: 25 }, (_, index) => `n${index}.example.com`).join(" ")}`;
    assert.deepEqual(chooseProfile(undefined, names(ipsAndNames), letsEncrypt), {
      ok: false,
      error: 'The profile "shortlived" allows at most 25 names per certificate; this one has 26. Split the names over several certificates.',
    });
    assert.deepEqual(chooseProfile("tlsserver", names(twentySix), letsEncryptStaging).ok, false, "staging has the same rules");
    assert.deepEqual(chooseProfile("server", names(twentySix), privateCa), { ok: true, profile: "server" }, "no limits guessed for other CAs");
  });
});

describe("the profile a job sends for a stored certificate", () => {
  it("keeps the stored profile on renewal and refuses it before ordering once the CA drops it", () => {
    assert.deepEqual(chooseProfileForJob("tlsserver", names("example.com"), letsEncrypt), { ok: true, profile: "tlsserver" });
    const withoutTlsServer: AcmeDirectory = {
      ...letsEncrypt,
      meta: { ...letsEncrypt.meta, profiles: { classic: "https://letsencrypt.org/docs/profiles#classic" } },
    };
    assert.deepEqual(chooseProfileForJob("tlsserver", names("example.com"), withoutTlsServer), {
      ok: false,
      error: `The CA does not offer the profile "tlsserver"; it offers "classic". Change the profile in the certificate's settings, then try again. Nothing was sent to the CA.`,
    });
  });

  it("picks shortlived for an IP certificate stored without a profile, and says so in the log", () => {
    assert.deepEqual(chooseProfileForJob(null, names("192.0.2.10"), letsEncrypt), {
      ok: true,
      profile: "shortlived",
      notice: 'Using the profile "shortlived": the CA issues IP address certificates with it',
    });
    assert.deepEqual(chooseProfileForJob(null, names("example.com"), letsEncrypt), { ok: true, profile: undefined });
  });

  it("orders without a profile when the CA stopped advertising profiles altogether", () => {
    assert.deepEqual(chooseProfileForJob("shortlived", names("127.0.0.1"), pebble), {
      ok: true,
      profile: undefined,
      notice: 'The CA no longer advertises profiles; ordering without the profile "shortlived"',
    });
  });
});

describe("the newOrder payload", () => {
  it("sends IP addresses as type ip, keeps IDNs in punycode, and adds replaces only when given", () => {
    assert.deepEqual(buildNewOrderPayload({ identifiers: names("bücher.example 127.0.0.1 ::1"), replaces: "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE" }), {
      identifiers: [
        { type: "dns", value: "xn--bcher-kva.example" },
        { type: "ip", value: "127.0.0.1" },
        { type: "ip", value: "::1" },
      ],
      replaces: "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE",
    });
    assert.deepEqual(Object.keys(buildNewOrderPayload({ identifiers: names("example.com"), profile: undefined, replaces: undefined })), ["identifiers"]);
  });
});
