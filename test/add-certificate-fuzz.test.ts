import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { AppError } from "../lib/core/app-error";
import { SYSTEM_ACTOR } from "../lib/domain/command/actor";
import { openTestDatabase } from "./support/test-database";
import { hostileInputs } from "./support/hostile-inputs";

/**
 * The add-certificate path (what the server action does: the form's fields to the typed input,
 * then the command) over generated hostile input in every field: never fails with anything but
 * an AppError (no 500), refuses with a message, stores nothing it refused, and never creates a
 * path outside the data directory.
 */
describe("adding a certificate with hostile input", () => {
  let dataDir: string;
  let db: typeof import("../lib/data/client").db;
  let createCertificate: typeof import("../lib/domain/certificates/create-certificate").createCertificate;
  let toCreateCertificateInput: typeof import("../lib/web/certificate-form-input").toCreateCertificateInput;
  /** The Add form submitted with these fields: accepted (the stored certificate's id) or refused (the messages). */
  async function submit(fields: Record<string, string>): Promise<{ certificateId: string } | { messages: string[] }> {
    try {
      return await createCertificate(SYSTEM_ACTOR, toCreateCertificateInput(fields));
    } catch (error) {
      assert.ok(error instanceof AppError, `refused with an AppError, not ${String(error)}`);
      return { messages: [...Object.values(error.fieldErrors ?? {}).flat(), error.userMessage].filter(Boolean) };
    }
  }
  let accountId: string;

  before(async () => {
    ({ dataDir } = await openTestDatabase({ label: "fuzz" }));
    db = (await import("../lib/data/client")).db;
    createCertificate = (await import("../lib/domain/certificates/create-certificate")).createCertificate;
    ({ toCreateCertificateInput } = await import("../lib/web/certificate-form-input"));
    const account = await db.acmeAccount.create({
      data: {
        label: "fuzz",
        directoryUrl: "https://ca.example/dir",
        email: "a@example.test",
        accountKeyEnc: "v1:x",
        status: "valid",
        accountUrl: "https://ca.example/acct/1",
      },
    });
    accountId = account.id;
  });
  after(async () => db?.$disconnect());

  it("refuses or cleanly accepts 240 hostile name lists, and stores only what it accepted", async () => {
    let accepted = 0;
    for (const input of hostileInputs()) {
      const result = await submit({ names: input, accountId, keyType: "ec-p256", challengeMethod: "http-01-app" });
      if ("certificateId" in result) {
        accepted += 1;
        const stored = await db.certificate.findUniqueOrThrow({ where: { id: result.certificateId } });
        assert.match(stored.name, /^[a-z0-9.-]+$|^[0-9a-f:.]+$/, `stored name ${JSON.stringify(stored.name)} is clean`);
      } else {
        assert.ok(result.messages.length > 0, `refused with a message: ${JSON.stringify(input).slice(0, 80)}`);
      }
    }
    assert.equal(await db.certificate.count(), accepted);
  });

  it("refuses hostile values in the other fields without storing anything", async () => {
    const before = await db.certificate.count();
    const hostile = hostileInputs(60, 7);
    for (const value of hostile) {
      for (const field of ["accountId", "keyType", "challengeMethod"] as const) {
        const result = await submit({ names: "fine.example.test", accountId, keyType: "ec-p256", challengeMethod: "http-01-app", [field]: value });
        assert.ok("messages" in result && result.messages.length > 0, `${field}=${JSON.stringify(value).slice(0, 60)} is refused with a message`);
      }
      const webroot = await submit({ names: "fine.example.test", accountId, keyType: "ec-p256", challengeMethod: "http-01-webroot", webrootPath: value });
      if ("certificateId" in webroot) {
        const stored = await db.certificate.findUniqueOrThrow({ where: { id: webroot.certificateId } });
        assert.ok(stored.webrootPath?.startsWith("/") && !stored.webrootPath.split("/").includes(".."));
        await db.job.deleteMany({ where: { certificateId: stored.id } });
        await db.certificate.delete({ where: { id: stored.id } });
      }
    }
    assert.equal(await db.certificate.count(), before);
    // Nothing was written outside the data directory's own files.
    const entries = await readdir(dataDir);
    assert.deepEqual(
      entries.filter((entry) => !entry.startsWith("certdeck.db") && entry !== "secret.key"),
      [],
    );
  });
});
