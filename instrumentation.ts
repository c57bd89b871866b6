/**
 * Runs once when the server starts. In the Node.js runtime only: apply database migrations,
 * seed the admin from the environment for unattended installs, start the job runner.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServerProcess } = await import("./lib/web/server-process");
  await startServerProcess();
}
