/**
 * The one polling helper of the tests, the benchmarks, the demo and the test servers: ask
 * `check` again and again until it has an answer, or give up with a message that says what was
 * awaited and what was seen last.
 *
 *   const job = await waitFor(() => readJob(id), { until: (job) => job.status !== "running", what: `job ${id} to finish` });
 *   await waitFor(async () => (await fetch(url).catch(() => null))?.ok, { timeoutMs: 180_000, what: "the dashboard to answer" });
 */

export interface WaitForOptions<T> {
  /**
   * When the answer is there. Default: `check` returned something other than undefined, null or
   * false (then `waitFor` returns it).
   */
  until?: (value: T) => boolean;
  /** Give up after this many milliseconds; default 30 000. `Infinity`: only `check` can end the wait (by throwing). */
  timeoutMs?: number;
  /** Pause between two checks; default 50 ms. */
  intervalMs?: number;
  /**
   * What is awaited, for the timeout's message ("job x to finish"); a function gets the last
   * value `check` returned (undefined when every check threw) and may describe it.
   */
  what?: string | ((last: T | undefined) => string);
  /** Checks that throw are retried (e.g. connection refused while a server starts); default: a throw ends the wait. */
  retryErrors?: boolean;
}

const isAnswer = (value: unknown) => value !== undefined && value !== null && value !== false;

/**
 * Resolves with the first value of `check` that is an answer (see `until`). A check that throws
 * ends the wait with its error unless `retryErrors` is set (then the last error is named on
 * timeout). Throws `Error("timed out after N ms waiting for <what>")` at the deadline.
 */
export function waitFor<T>(check: () => T | Promise<T>, options: WaitForOptions<T> & { until: (value: T) => boolean }): Promise<T>;
export function waitFor<T>(check: () => T | Promise<T>, options?: WaitForOptions<T>): Promise<Exclude<T, undefined | null | false>>;
export async function waitFor<T>(check: () => T | Promise<T>, options: WaitForOptions<T> = {}): Promise<T> {
  const { until = isAnswer, timeoutMs = 30_000, intervalMs = 50, retryErrors = false } = options;
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await check();
      lastError = undefined;
      if (until(last)) return last;
    } catch (error) {
      if (!retryErrors) throw error;
      lastError = error;
    }
    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0) {
      const what = typeof options.what === "function" ? options.what(last) : (options.what ?? "a condition");
      const cause = lastError === undefined ? "" : ` (last error: ${lastError instanceof Error ? lastError.message : String(lastError)})`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`, lastError === undefined ? undefined : { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, remainingMs)));
  }
}
