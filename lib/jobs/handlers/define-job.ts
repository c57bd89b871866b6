import { z } from "zod";
import { AppError } from "@/lib/core/app-error";
import { OperatorActionNeeded, type ResponderContext } from "@/lib/protocol/acme/challenge-responder";
import { db } from "@/lib/data/client";
import { makeCommitsDurable } from "@/lib/data/durability";
import { logJobEvent, type JobEventLevel } from "@/lib/data/queue/job-log";
import { JOB_OPTION_SCHEMAS, type JobOptionsOf, type JobType } from "@/lib/data/queue/job-types";
import type { ClaimedJob } from "@/lib/data/queue/queue";
import type { Prisma } from "@/lib/generated/prisma/client";

/** Appends one timestamped step to the job's log; `detail` holds raw material (problem documents). */
export type JobLog = (step: string, message: string, options?: { level?: JobEventLevel; detail?: unknown }) => Promise<void>;

/** The job a handler runs: its row, without the stored options and state (the context has them parsed). */
export interface RunningJob<Type extends JobType = JobType> {
  id: string;
  type: Type;
  certificateId: string | null;
  accountId: string | null;
  /** 1 on the first attempt. */
  attempts: number;
  /** When the operator last let the job go on after it parked as "waiting", or null. */
  resumedAt: Date | null;
}

export interface SaveStateOptions {
  /**
   * Save inside this transaction: the state changes exactly when the transaction's other writes
   * do. (Should the transaction roll back, its error ends this run; the next run reads the row.)
   * The caller makes it durable after the commit (makeCommitsDurable, lib/data/durability.ts).
   */
  tx?: Prisma.TransactionClient;
  /** The saved state becomes exactly `patch` (every other key, the responder's too, is dropped). */
  replace?: boolean;
}

/**
 * What a handler gets. The context is the only writer of the job's state and log: handlers, and
 * the challenge responder through `responder`, save and log through it.
 */
export interface JobContext<Type extends JobType, Options, State> {
  readonly job: RunningJob<Type>;
  /** The options the job was queued with, parsed by its type's schema (JOB_OPTION_SCHEMAS). */
  readonly options: Options;
  /** The saved state, parsed by the job's schema; saveState updates it. */
  readonly state: State;
  log: JobLog;
  /** Merges `patch` into the state and saves it before returning (a key set to undefined is removed). */
  saveState(patch: Partial<State>, options?: SaveStateOptions): Promise<void>;
  /** For the order's challenge responder: the job log, its own keys of the saved state, and the operator. */
  readonly responder: ResponderContext;
}

/** Why a job failed, as the operator reads it. */
export interface JobFailure {
  userMessage: string;
  /** Reason code for lists (lib/protocol/acme/problems.ts FailureReasonCode, "preflight", "port-in-use" …). */
  reason?: string;
}

/** A job that ended without success: its row, and its options (null when the stored options did not parse). */
export interface EndedJob<Type extends JobType, Options> {
  job: RunningJob<Type>;
  options: Options | null;
}

type OptionSchemaOf<Type extends JobType> = (typeof JOB_OPTION_SCHEMAS)[Type];

export interface JobDefinition<Type extends JobType, StateSchema extends z.ZodObject> {
  /** The job types this definition runs (issue and renew share one). */
  readonly types: readonly Type[];
  /** The type's schema from JOB_OPTION_SCHEMAS. */
  readonly options: OptionSchemaOf<Type>;
  /** What the job saves as it goes, so a restarted job resumes; every field optional (a first run starts from {}). */
  readonly state: StateSchema;
  /** Does the work; returns a one-line summary for the log. Throw AppError for expected failures. */
  run(context: JobContext<Type, JobOptionsOf<Type>, z.output<StateSchema>>): Promise<string>;
  /** Records a final failure on the object the job works on (certificate, account). */
  onFailure(ended: EndedJob<Type, JobOptionsOf<Type>>, failure: JobFailure): Promise<void>;
  /** Records a transient failure that will be retried at `retryAt`. */
  onRetry?(ended: EndedJob<Type, JobOptionsOf<Type>>, failure: JobFailure, retryAt: Date): Promise<void>;
  /** The job parks until the operator acts (called before it reads as "waiting"), e.g. to notify. */
  onWaiting?(context: JobContext<Type, JobOptionsOf<Type>, z.output<StateSchema>>, waiting: OperatorActionNeeded): Promise<void>;
}

/** A job type's handler, with typed options and state (see JobDefinition). */
export function defineJob<const Type extends JobType, StateSchema extends z.ZodObject>(
  definition: Omit<JobDefinition<Type, StateSchema>, "types"> & { type: Type | readonly Type[] },
): JobDefinition<Type, StateSchema> {
  const { type, ...rest } = definition;
  const types: readonly Type[] = typeof type === "string" ? [type] : type;
  // The types check the shape; this checks it is the type's own schema (a wiring mistake fails at start).
  for (const each of types) {
    if (JOB_OPTION_SCHEMAS[each] !== definition.options) throw new Error(`the "${each}" job must parse its options with JOB_OPTION_SCHEMAS["${each}"]`);
  }
  return { ...rest, types };
}

/** The job row for a definition; an error when the definition does not run this type (a wiring mistake). */
export function runningJobOf<Type extends JobType>(definition: { types: readonly Type[] }, row: ClaimedJob): RunningJob<Type> {
  const type = definition.types.find((candidate) => candidate === row.type);
  if (!type) throw new Error(`job ${row.id} has the type "${row.type}", which this handler does not run`);
  return { id: row.id, type, certificateId: row.certificateId, accountId: row.accountId, attempts: row.attempts, resumedAt: row.resumedAt };
}

const storedObject = z.record(z.string(), z.unknown());

/**
 * Stored JSON (null = {}) parsed by `schema`. A value that does not parse is an AppError whose
 * message is the failing fields' messages: a field's own message when its schema has one, else
 * `describe(field)`.
 */
function parseStored<Schema extends z.ZodObject>(schema: Schema, stored: string | null, describe: (field: string | null) => string): z.output<Schema> {
  const fail = (messages: string[]) => new AppError("invalid_input", [...new Set(messages)].join(" "));
  let value: unknown = {};
  if (stored !== null) {
    try {
      value = JSON.parse(stored);
    } catch (error) {
      throw new AppError("invalid_input", describe(null), { cause: error });
    }
  }
  const parsed = schema.safeParse(value, {
    // Only for fields without a message of their own: a schema's own message comes first.
    error: (issue) => describe(issue.path && issue.path.length > 0 ? issue.path.map(String).join(".") : null),
  });
  if (!parsed.success) throw fail(parsed.error.issues.map((issue) => issue.message));
  return parsed.data;
}

/** The options a job was queued with, parsed by `schema` (its type's schema in JOB_OPTION_SCHEMAS). */
export function parseJobOptions<Schema extends z.ZodObject>(schema: Schema, stored: string | null): z.output<Schema> {
  return parseStored(schema, stored, (field) =>
    field ? `The job was queued with an invalid "${field}" option. Start it again.` : "The job was queued with unreadable options. Start it again.",
  );
}

/** A job's saved state, parsed by the job's state schema. */
export function parseJobState<Schema extends z.ZodObject>(schema: Schema, stored: string | null): z.output<Schema> {
  return parseStored(schema, stored, (field) =>
    field ? `The job's saved progress is unreadable (its "${field}"). Start it again.` : "The job's saved progress is unreadable. Start it again.",
  );
}

/** Every key the stored state holds, the job's and the responder's (unreadable JSON was refused by parseJobState). */
function storedKeys(stored: string | null): Record<string, unknown> {
  const parsed = storedObject.safeParse(stored === null ? {} : JSON.parse(stored));
  return parsed.success ? parsed.data : {};
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/**
 * The context a claimed job runs with. Throws AppError("invalid_input") with a plain message when
 * the stored options or state do not parse: the job fails with that message.
 */
export function createJobContext<Type extends JobType, StateSchema extends z.ZodObject>(
  definition: JobDefinition<Type, StateSchema>,
  row: ClaimedJob,
): JobContext<Type, JobOptionsOf<Type>, z.output<StateSchema>> {
  const job = runningJobOf(definition, row);
  const options = parseJobOptions(definition.options, row.options);
  let state = parseJobState(definition.state, row.state);
  /** What is stored: the job's keys and the responder's. */
  let stored = storedKeys(row.state);
  const jobKeys = new Set(Object.keys(definition.state.shape));

  async function write(next: Record<string, unknown>, tx?: Prisma.TransactionClient): Promise<void> {
    const nextStored = withoutUndefined(next);
    // A handler that saves what its own schema refuses is a bug: fail before writing it.
    const nextState = definition.state.parse(nextStored);
    // In SQL: a third of the ORM's CPU time, and an order saves its progress several times.
    const count = await (tx ?? db).$executeRaw`UPDATE "Job" SET "state" = ${JSON.stringify(nextStored)} WHERE "id" = ${job.id}`;
    if (count !== 1) throw new Error(`job ${job.id} is gone; its progress was not saved`);
    // On disk before the job goes on (a transaction's caller does it after the commit): a power cut
    // must not take back an order or key the CA already has.
    if (!tx) await makeCommitsDurable();
    stored = nextStored;
    state = nextState;
  }

  const responder: ResponderContext = {
    owner: job.id,
    log: (step, message, logOptions) => context.log(step, message, logOptions),
    readState: () => Object.fromEntries(Object.entries(stored).filter(([key]) => !jobKeys.has(key))),
    async saveState(patch) {
      const taken = Object.keys(patch).filter((key) => jobKeys.has(key));
      if (taken.length > 0) throw new Error(`a challenge responder may not write the job's own state (${taken.join(", ")})`);
      await write({ ...stored, ...patch });
    },
    operatorResumedAt: job.resumedAt,
    async askOperator(instructions, askOptions) {
      throw new OperatorActionNeeded(instructions, askOptions);
    },
  };

  const context: JobContext<Type, JobOptionsOf<Type>, z.output<StateSchema>> = {
    job,
    options,
    get state() {
      return state;
    },
    log: (step, message, logOptions) => logJobEvent(job.id, step, message, logOptions),
    async saveState(patch, saveOptions = {}) {
      await write(saveOptions.replace ? { ...patch } : { ...stored, ...patch }, saveOptions.tx);
    },
    responder,
  };
  return context;
}

/** A job that ended without success, for onFailure and onRetry: its options when they parse. */
export function endedJobOf<Type extends JobType, StateSchema extends z.ZodObject>(
  definition: JobDefinition<Type, StateSchema>,
  row: ClaimedJob,
): EndedJob<Type, JobOptionsOf<Type>> {
  let options: JobOptionsOf<Type> | null = null;
  try {
    options = parseJobOptions(definition.options, row.options);
  } catch {
    // The failure says why; the handler works without them.
  }
  return { job: runningJobOf(definition, row), options };
}
