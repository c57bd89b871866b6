import assert from "node:assert/strict";
import { test } from "node:test";
import { settleOnce } from "./settle-once";

test("the first value settles, after the cleanup; later ones are dropped", () => {
  const calls: string[] = [];
  const settle = settleOnce<string>(
    (value) => calls.push(`resolve ${value}`),
    () => calls.push("cleanup"),
  );
  settle("answer");
  settle("timeout");
  assert.deepEqual(calls, ["cleanup", "resolve answer"]);
});
