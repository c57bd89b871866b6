/**
 * Thrown by a handler that cannot go on until the operator acts (a manual DNS record to create).
 * The runner parks the job as "waiting" with its saved state; `resumeWaitingJob` (called by the
 * operator's action) queues it again and it resumes from its last finished step. A waiting job
 * still holds its certificate, so no second order starts meanwhile.
 */
export class JobWaitingForOperator extends Error {
  /** What the operator must do, in the job log and on the page. */
  readonly instructions: string;

  constructor(instructions: string) {
    super(instructions);
    this.name = "JobWaitingForOperator";
    this.instructions = instructions;
  }
}
