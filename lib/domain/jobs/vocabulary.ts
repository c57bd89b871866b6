/**
 * The words pages use for jobs (types, statuses, their labels), from the queue that defines them:
 * app/ and components/ read them here, never from lib/data.
 */
export { ACTIVE_JOB_STATUSES, isJobActive, JOB_STATUSES, JOB_TYPE_LABELS, JOB_TYPES, type JobStatus, type JobType } from "@/lib/data/queue/job-types";
