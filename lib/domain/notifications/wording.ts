/** The wording pieces the notification texts share. */

/** "1 day", "7 days". */
export const days = (count: number) => (count === 1 ? "1 day" : `${count} days`);

/** A reason or description as one sentence: white space folded, ending with a full stop. */
export function sentence(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, " ");
  if (!trimmed) return "No reason was recorded.";
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
