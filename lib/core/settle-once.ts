/**
 * For a promise that several events may end (an answer, an error, a timeout, a close): the first
 * call of the returned function runs `cleanup` (clear the timers, destroy the socket) and hands
 * its value to `resolve`; later calls do nothing.
 */
export function settleOnce<Value>(resolve: (value: Value) => void, cleanup: () => void): (value: Value) => void {
  let isSettled = false;
  return (value) => {
    if (isSettled) return;
    isSettled = true;
    cleanup();
    resolve(value);
  };
}
