import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "@/lib/core/app-error";
import {
  certificateIdOf,
  parseWebrootLines,
  toChallengeSettingsInput,
  toCreateCertificateInput,
  toRenewalSettingsInput,
  webrootLinesOf,
} from "@/lib/web/certificate-form-input";

/** The field errors of the AppError `run` throws. */
function fieldErrorsOf(run: () => unknown): Record<string, string[]> {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof AppError, `an AppError, not ${String(error)}`);
    assert.equal(error.code, "invalid_input");
    return { ...error.fieldErrors };
  }
  assert.fail("expected a refusal");
}

describe("the Add certificate form → createCertificate's input", () => {
  it("splits the names textarea on lines, commas and spaces, and drops empty entries", () => {
    const input = toCreateCertificateInput({
      names: " example.com\r\nwww.example.com, shop.example.com\n\n  api.example.com  ",
      accountId: "a1",
      keyType: "ec-p256",
      challengeMethod: "http-01-app",
    });
    assert.deepEqual(input.names, ["example.com", "www.example.com", "shop.example.com", "api.example.com"]);
  });

  it("gives an empty list for an empty or missing textarea (the command says what is missing)", () => {
    assert.deepEqual(toCreateCertificateInput({ names: " \n " }).names, []);
    assert.deepEqual(toCreateCertificateInput({}).names, []);
  });

  it("turns ticked checkboxes into true and missing ones into false", () => {
    const ticked = toCreateCertificateInput({ names: "a.test", reuseKey: "on", issueAnyway: "on" });
    assert.equal(ticked.reuseKey, true);
    assert.equal(ticked.issueAnyway, true);
    const unticked = toCreateCertificateInput({ names: "a.test" });
    assert.equal(unticked.reuseKey, false);
    assert.equal(unticked.issueAnyway, false);
    assert.equal(toCreateCertificateInput({ names: "a.test", reuseKey: "yes" }).reuseKey, false, "only the checkbox's own value counts");
  });

  it("passes the other fields through, empty selects and fields as not given", () => {
    const input = toCreateCertificateInput({
      names: "a.test",
      accountId: "acc1",
      keyType: "rsa-2048",
      challengeMethod: "dns-01",
      dnsProviderId: "dns1",
      profile: "",
      webrootPath: "  ",
    });
    assert.deepEqual(input, {
      names: ["a.test"],
      accountId: "acc1",
      keyType: "rsa-2048",
      challengeMethod: "dns-01",
      webrootPath: undefined,
      webrootPaths: {},
      dnsProviderId: "dns1",
      profile: undefined,
      reuseKey: false,
      issueAnyway: false,
    });
  });

  it("reads the per-name webroot lines as { name: path } for the webroot method, names in lower case", () => {
    const input = toCreateCertificateInput({
      names: "Shop.Example.com blog.example.com",
      challengeMethod: "http-01-webroot",
      webrootPath: "/var/www/html/",
      webrootPaths: "Shop.Example.com /var/www/shop\r\n\n  blog.example.com=/srv/blog/  \n",
    });
    assert.equal(input.webrootPath, "/var/www/html/", "the command normalises paths");
    assert.deepEqual(input.webrootPaths, { "shop.example.com": "/var/www/shop", "blog.example.com": "/srv/blog/" });
  });

  it("ignores the webroot lines for the other methods (the form keeps them while another method is chosen)", () => {
    assert.deepEqual(toCreateCertificateInput({ names: "a.test", challengeMethod: "http-01-app", webrootPaths: "not a line we can read =" }).webrootPaths, {});
  });

  it('refuses a webroot line that is not "name /path" on the field webrootPaths, with its line number', () => {
    const errors = fieldErrorsOf(() =>
      toCreateCertificateInput({ names: "a.test", challengeMethod: "http-01-webroot", webrootPaths: "a.test /var/www/a\n\njust-a-name" }),
    );
    assert.deepEqual(errors, { webrootPaths: ['Line 3: write "name /path/to/webroot"'] });
    assert.deepEqual(
      fieldErrorsOf(() => parseWebrootLines("=/var/www")),
      { webrootPaths: ['Line 1: write "name /path/to/webroot"'] },
    );
  });

  it("leaves the paths themselves to the command (relative paths pass through to be refused there)", () => {
    assert.deepEqual(parseWebrootLines("a.test relative/path"), { "a.test": "relative/path" });
  });

  it("shows stored webroots as the lines it reads back", () => {
    const paths = { "shop.example.com": "/var/www/shop", "blog.example.com": "/srv/blog" };
    assert.equal(webrootLinesOf(paths), "shop.example.com /var/www/shop\nblog.example.com /srv/blog");
    assert.deepEqual(parseWebrootLines(webrootLinesOf(paths)), paths);
  });
});

describe("the Challenge settings form → updateChallengeSettings' input", () => {
  it("takes the certificate's id and the challenge fields only", () => {
    assert.deepEqual(
      toChallengeSettingsInput("c1", {
        certificateId: "c1",
        challengeMethod: "http-01-webroot",
        webrootPath: "/var/www",
        webrootPaths: "a.test /srv/a",
        reuseKey: "on",
        names: "ignored",
      }),
      {
        id: "c1",
        challengeMethod: "http-01-webroot",
        webrootPath: "/var/www",
        webrootPaths: { "a.test": "/srv/a" },
        dnsProviderId: undefined,
        profile: undefined,
        reuseKey: true,
      },
    );
  });
});

describe("the Renewal and deploy form → updateRenewalSettings' input", () => {
  const base = {
    renewBeforeDays: "",
    windowMode: "global",
    maintenanceWindow: "",
    preHookMode: "global",
    postHookMode: "global",
    deployHookMode: "global",
    preHook: "",
    postHook: "",
    deployHook: "",
  };

  it("maps each 'use the global setting' to null and an empty number to automatic (null)", () => {
    assert.deepEqual(toRenewalSettingsInput("c1", base), {
      id: "c1",
      renewBeforeDays: null,
      maintenanceWindow: null,
      preHook: null,
      postHook: null,
      deployHook: null,
    });
  });

  it("keeps own values: a number of days, 'any time' as \"\", an own window, own hooks (empty: none)", () => {
    const input = toRenewalSettingsInput("c1", {
      ...base,
      renewBeforeDays: " 20 ",
      windowMode: "none",
      preHookMode: "custom",
      preHook: "systemctl stop x",
      deployHookMode: "custom",
      deployHook: "",
    });
    assert.deepEqual(input, { id: "c1", renewBeforeDays: 20, maintenanceWindow: "", preHook: "systemctl stop x", postHook: null, deployHook: "" });
    assert.equal(
      toRenewalSettingsInput("c1", { ...base, windowMode: "custom", maintenanceWindow: " Mon-Fri 01:00-03:00 " }).maintenanceWindow,
      "Mon-Fri 01:00-03:00",
    );
  });

  it("passes a number it cannot read on as NaN, for the command to refuse with its message", () => {
    assert.ok(Number.isNaN(toRenewalSettingsInput("c1", { ...base, renewBeforeDays: "soon" }).renewBeforeDays));
  });

  it("refuses 'its own window' left empty, and an unknown window choice, on the field maintenanceWindow", () => {
    assert.deepEqual(
      fieldErrorsOf(() => toRenewalSettingsInput("c1", { ...base, windowMode: "custom", maintenanceWindow: "  " })),
      {
        maintenanceWindow: ['Enter a window such as "Mon-Fri 01:00-03:00", or choose "Any time"'],
      },
    );
    assert.deepEqual(
      fieldErrorsOf(() => toRenewalSettingsInput("c1", { ...base, windowMode: "sometimes" })),
      { maintenanceWindow: ["Choose when deploy hooks may run"] },
    );
  });
});

describe("the certificate id a page's form carries", () => {
  it("is passed on when it has an id's shape, and is 'no such certificate' otherwise", () => {
    assert.equal(certificateIdOf({ certificateId: "cm1abc" }), "cm1abc");
    for (const bad of [undefined, "", "../etc/passwd", "x".repeat(65)]) {
      assert.throws(() => certificateIdOf({ certificateId: bad }), { name: "AppError", code: "not_found", userMessage: "That certificate does not exist." });
    }
  });
});
