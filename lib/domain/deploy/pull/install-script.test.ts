import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { buildInstallScript, defaultDestDir } from "./install-script";
import { envFileContent, installCommand, shellQuote } from "./install-snippet";

const sh = (script: string) => execFileSync("sh", ["-c", script], { encoding: "utf8" });

describe("the install script", () => {
  it("quotes any value as one shell word", () => {
    for (const value of ["", "plain", "it's", "a b", '$(touch /tmp/x) `id` \\n "q"', "systemctl reload nginx && echo 'done'"]) {
      assert.equal(sh(`printf '%s' ${shellQuote(value)}`), value);
    }
  });

  it("puts the agent in a quoted here-document and refuses content that would end it early", () => {
    const agent = { script: "#!/bin/sh\necho $HOME `id`\n", service: "[Service]\n", timer: "[Timer]\n" };
    const input = { pullerName: "web1", certificateName: "*.example.com", token: `cdp_${"a".repeat(43)}`, reloadHint: "nginx -s reload", agent };
    const script = buildInstallScript(input);
    assert.ok(script.includes("<<'CERTDECK_PULL_AGENT_END'\n#!/bin/sh\necho $HOME `id`\nCERTDECK_PULL_AGENT_END\n"));
    assert.match(script, /^DEST_DIR=\$\{DEST_DIR:-'\/etc\/certdeck\/_wildcard\.example\.com'\}$/m);
    assert.match(script, /^RELOAD_COMMAND=\$\{RELOAD_COMMAND-'nginx -s reload'\}$/m);
    assert.equal(defaultDestDir("2001:db8::1"), "/etc/certdeck/2001-db8--1");
    sh(`sh -n <<'EOF'\n${script}\nEOF`);
    assert.throws(() => buildInstallScript({ ...input, agent: { ...agent, script: "x\nCERTDECK_PULL_AGENT_END\ny" } }), /delimiter/);
  });

  it("the dashboard's one-line install and env file quote what needs it, and sh reads them back", () => {
    const token = `cdp_${"b".repeat(43)}`;
    const input = { origin: "https://certdeck.example.com/", token, destDir: "/etc/ssl/my certs", reloadCommand: "systemctl reload nginx" };
    assert.equal(
      installCommand(input),
      `curl -fsS -H 'Authorization: Bearer ${token}' https://certdeck.example.com/api/pull/v1/install | sudo CERTDECK_URL=https://certdeck.example.com DEST_DIR='/etc/ssl/my certs' RELOAD_COMMAND='systemctl reload nginx' sh`,
    );
    const env = envFileContent({ ...input, certificateName: "*.example.com" });
    assert.equal(
      sh(`${env}\nprintf '%s|' "$CERTDECK_URL" "$CERTDECK_TOKEN" "$CERTDECK_CERTIFICATE" "$DEST_DIR" "$RELOAD_COMMAND"`),
      `https://certdeck.example.com|${token}|*.example.com|/etc/ssl/my certs|systemctl reload nginx|`,
    );
  });
});
