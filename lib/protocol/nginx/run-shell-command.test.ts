import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runShellCommand } from "./run-shell-command";

describe("operator commands (nginx -t, reload)", () => {
  it("return the exit code and stdout and stderr interleaved, as nginx -t prints its verdict on stderr", async () => {
    const result = await runShellCommand("echo one; echo two >&2; echo three; exit 3", 5000);
    assert.equal(result.exitCode, 3);
    assert.equal(result.output, "one\ntwo\nthree");
    assert.equal(result.timedOut, false);
  });

  it("run `a || b` as the shell does (systemctl reload nginx || nginx -s reload)", async () => {
    const result = await runShellCommand("no-such-command-certdeck 2>/dev/null || echo fallback", 5000);
    assert.equal(result.exitCode, 0);
    assert.equal(result.output, "fallback");
  });

  it("stop a command that hangs, with everything it started", async () => {
    const started = Date.now();
    const result = await runShellCommand("sleep 30 & sleep 30", 300);
    assert.equal(result.timedOut, true);
    assert.equal(result.exitCode, null);
    assert.ok(Date.now() - started < 5000);
  });

  it("keep CertDeck's secrets out of the command's environment", async () => {
    process.env.CERTDECK_SECRET_KEY = "do-not-log";
    try {
      const result = await runShellCommand('echo "[$CERTDECK_SECRET_KEY]"', 5000);
      assert.equal(result.output, "[]");
    } finally {
      delete process.env.CERTDECK_SECRET_KEY;
    }
  });
});
