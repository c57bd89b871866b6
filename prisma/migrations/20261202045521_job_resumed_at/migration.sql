-- Issue #11: the operator's "Done" on a parked job is recorded on the job row; only the job writes its state.
-- AlterTable
ALTER TABLE "Job" ADD COLUMN "resumedAt" DATETIME;
