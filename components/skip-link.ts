/** The id of every page's <main>: the target of the "Skip to content" link (app/layout.tsx). */
export const MAIN_CONTENT_ID = "content";

/** Hidden until focused, then shown over the top left corner. */
export const SKIP_LINK_CLASSES =
  "sr-only focus:not-sr-only focus:fixed focus:left-3 focus:top-3 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:text-zinc-900 focus:shadow-lg focus:ring-1 focus:ring-zinc-300 dark:focus:bg-zinc-900 dark:focus:text-zinc-100 dark:focus:ring-zinc-700";
