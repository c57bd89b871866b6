/**
 * A <dl> of facts (term, then value): two columns from sm on; on a phone each term sits small
 * right above its value, with the space between the pairs rather than inside them.
 */
export const FACT_LIST =
  "grid grid-cols-1 gap-x-6 gap-y-0.5 px-4 py-3 text-sm sm:grid-cols-[10rem_1fr] sm:gap-y-2.5 [&>dt]:text-xs [&>dt]:text-zinc-500 dark:[&>dt]:text-zinc-400 sm:[&>dt]:text-sm [&>dt:not(:first-child)]:mt-2.5 sm:[&>dt:not(:first-child)]:mt-0 [&>dd]:min-w-0";
