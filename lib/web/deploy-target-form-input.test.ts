import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { echoableValues, modeField, toDeployTargetInput, toUpdateDeployTargetInput } from "@/lib/web/deploy-target-form-input";

describe("the deploy target form → the commands' input", () => {
  it("reads octal modes as typed, empty as not given, anything else as a number the command refuses", () => {
    assert.equal(modeField("0644"), 0o644);
    assert.equal(modeField("640"), 0o640);
    assert.equal(modeField("0o600"), 0o600);
    assert.equal(modeField(""), undefined);
    assert.ok(Number.isNaN(modeField("0899")));
    assert.ok(Number.isNaN(modeField("rw-r--r--")));
  });

  it("an SSH form: checkboxes as booleans, the key source, and an emptied reload command stays empty", () => {
    const input = toDeployTargetInput({
      type: "ssh",
      name: "web-1",
      isDefault: "on",
      host: "10.0.0.5",
      port: "",
      username: "deploy",
      fullchainPath: "/etc/ssl/shop/fullchain.pem",
      chainPath: "",
      certPath: "",
      keyPath: "/etc/ssl/shop/privkey.pem",
      certificateMode: "0644",
      keyMode: "0600",
      owner: "",
      group: "ssl-cert",
      reloadCommand: "",
      reloadTimeoutSeconds: "60",
      verifyAddress: "",
      verifyTimeoutSeconds: "30",
      privateKeySource: "paste",
      privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----",
      passphrase: "",
    });
    assert.deepEqual(input, {
      type: "ssh",
      name: "web-1",
      isDefault: true,
      host: "10.0.0.5",
      port: undefined,
      username: "deploy",
      fullchainPath: "/etc/ssl/shop/fullchain.pem",
      chainPath: "",
      certPath: "",
      keyPath: "/etc/ssl/shop/privkey.pem",
      certificateMode: 0o644,
      keyMode: 0o600,
      owner: "",
      group: "ssl-cert",
      reloadCommand: "",
      reloadTimeoutSeconds: 60,
      verify: false,
      verifyAddress: "",
      verifyTimeoutSeconds: 30,
      privateKeySource: "paste",
      privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----",
      passphrase: undefined,
    });
  });

  it("nginx and command forms leave empty fields to the defaults; a command without its own timeout uses the hooks'", () => {
    assert.deepEqual(
      toDeployTargetInput({ type: "nginx", name: "local", testCommand: "", reloadCommand: "", verifyAddress: "127.0.0.1:8443", verifyTimeoutSeconds: "" }),
      {
        type: "nginx",
        name: "local",
        isDefault: false,
        testCommand: undefined,
        reloadCommand: undefined,
        verifyAddress: "127.0.0.1:8443",
        verifyTimeoutSeconds: undefined,
      },
    );
    assert.deepEqual(
      toUpdateDeployTargetInput("abc123", {
        type: "command",
        name: "copy",
        command: "/usr/local/bin/deploy",
        timeoutSeconds: "",
        verifyAddress: "",
        verifyTimeoutSeconds: "",
      }),
      {
        id: "abc123",
        type: "command",
        name: "copy",
        isDefault: false,
        command: "/usr/local/bin/deploy",
        timeoutSeconds: null,
        verifyAddress: "",
        verifyTimeoutSeconds: undefined,
      },
    );
  });

  it("never echoes a private key or passphrase back into the form", () => {
    assert.deepEqual(echoableValues({ name: "web-1", privateKey: "-----BEGIN", passphrase: "secret", host: "h" }), { name: "web-1", host: "h" });
  });
});
