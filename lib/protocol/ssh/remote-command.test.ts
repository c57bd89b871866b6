import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { AppError } from "@/lib/core/app-error";
import { requireSuccess, shellQuote, type RemoteCommandResult } from "@/lib/protocol/ssh/remote-command";

const result = (overrides: Partial<RemoteCommandResult>): RemoteCommandResult => ({
  command: "nginx -t && systemctl reload nginx",
  exitCode: 0,
  signal: null,
  stdout: "",
  stderr: "",
  truncated: false,
  durationMs: 5,
  ...overrides,
});

describe("remote command helpers", () => {
  it("quote arguments so /bin/sh passes them through unchanged", () => {
    for (const value of ["plain", "it's", "a b", "$(id)", "`id`", "x'; rm -rf /; '", "", "ü\n2"]) {
      const echoed = execFileSync("/bin/sh", ["-c", `printf %s ${shellQuote(value)}`]).toString();
      assert.equal(echoed, value);
    }
  });

  it("pass a zero exit and quote stderr and stdout of a failing command", () => {
    const connection = { label: "deploy@10.0.0.5:22" };
    assert.equal(requireSuccess(connection, result({})).exitCode, 0);
    assert.throws(
      () => requireSuccess(connection, result({ exitCode: 1, stdout: "testing\n", stderr: "nginx: [emerg] cannot load certificate\n" }), "The reload command"),
      (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.equal(error.code, "deploy_failed");
        assert.match(error.userMessage, /^The reload command `nginx -t && systemctl reload nginx` failed with exit code 1 on deploy@10\.0\.0\.5:22\./);
        assert.match(error.userMessage, /stderr: nginx: \[emerg\] cannot load certificate \| stdout: testing/);
        return true;
      },
    );
    assert.throws(() => requireSuccess(connection, result({ exitCode: null, signal: "KILL" })), {
      userMessage: "The command `nginx -t && systemctl reload nginx` was ended by signal KILL on deploy@10.0.0.5:22. It printed nothing.",
    });
  });
});
