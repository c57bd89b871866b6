import assert from "node:assert/strict";

/** What a command's expected refusal (an AppError) carries, as plain data to compare. */
export interface Refusal {
  code: string;
  userMessage: string;
  /** {} when no field is named. */
  fieldErrors: Record<string, string[]>;
}

/** Awaits a command that must refuse: fails the test unless it throws an AppError, and returns what it said. */
export async function refusalOf(promise: Promise<unknown>): Promise<Refusal> {
  let outcome: unknown;
  try {
    outcome = await promise;
  } catch (error) {
    const appError = error as { name?: string; code?: string; userMessage?: string; fieldErrors?: Record<string, string[]> };
    assert.equal(appError.name, "AppError", `refused with an AppError, not ${String(error)}`);
    return { code: appError.code!, userMessage: appError.userMessage!, fieldErrors: { ...appError.fieldErrors } };
  }
  assert.fail(`expected a refusal, got ${JSON.stringify(outcome)}`);
}
