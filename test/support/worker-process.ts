/**
 * A CertDeck job runner in its own process, for crash tests; the parent kills it with SIGKILL.
 * The parent serves the HTTP-01 route (from the database), so a validation the CA has already
 * started is not cut off by the kill: what is tested is the job's resumption, not the CA's.
 * Usage: node --conditions=react-server --import tsx test/support/worker-process.ts
 * (CERTDECK_DATA_DIR set by the parent).
 */
import { startJobRunner } from "../../lib/jobs/runner";

await startJobRunner({ concurrency: 1 });
process.stdout.write("worker ready\n");
