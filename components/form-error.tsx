/**
 * A form's error that belongs to no single field, announced to screen readers. `isBoxed` sets it
 * on a red background, for the short sign-in and password forms where it is the one thing to read.
 */
export function FormError({ message, isBoxed = false }: { message?: string; isBoxed?: boolean }) {
  if (!message) return null;
  return (
    <p
      role="alert"
      className={
        isBoxed ? "rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-500/10 dark:text-red-300" : "text-sm text-red-600 dark:text-red-400"
      }
    >
      {message}
    </p>
  );
}
