"use client";

import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { JobStepList, type JobStep } from "@/components/job-step-list";

/** Statuses in which a job changes by itself; a waiting job changes when the operator acts (the action re-renders the page). */
const FOLLOWED_STATUSES = ["queued", "running"];

interface StreamedLine {
  id: number;
  at: string;
  level: string;
  step: string;
  message: string;
  detail: string | null;
}

/**
 * The steps of an active job, live: new log lines arrive over the job's event stream
 * (GET /api/jobs/<id>/events, server-sent events) as they are written. When the job's status
 * changes (waiting for the operator, finished), the page is rendered again once, to show the new
 * state everywhere (status badge, versions, notices). EventSource reconnects by itself and resumes
 * after the last line it received (Last-Event-ID).
 */
export function LiveJobSteps({ jobId, status, events, timeZone }: { jobId: string; status: string; events: JobStep[]; timeZone: string }) {
  const router = useRouter();
  const [streamed, setStreamed] = useState<JobStep[]>([]);
  const [heardStatus, setHeardStatus] = useState<string | null>(null);
  const isFollowed = FOLLOWED_STATUSES.includes(status);

  const merged = useMemo(() => {
    const byId = new Map<number, JobStep>();
    for (const event of [...events, ...streamed]) if (!byId.has(event.id)) byId.set(event.id, event);
    return [...byId.values()].sort((a, b) => a.id - b.id);
  }, [events, streamed]);

  // A (re)connection starts after the last line shown; the status the page was rendered with
  // tells a change from news already shown.
  const lastShownId = useRef(0);
  const renderedStatus = useRef(status);
  useEffect(() => {
    lastShownId.current = merged.at(-1)?.id ?? 0;
    renderedStatus.current = status;
  });

  useEffect(() => {
    if (!isFollowed) return;
    const source = new EventSource(`/api/jobs/${encodeURIComponent(jobId)}/events?after=${lastShownId.current}`);
    let refreshedFor: string | null = null;
    const refreshFor = (newStatus: string) => {
      if (newStatus === refreshedFor) return;
      refreshedFor = newStatus;
      router.refresh();
    };
    source.addEventListener("log", (message) => {
      const line = JSON.parse(message.data) as StreamedLine;
      const step: JobStep = { ...line, at: new Date(line.at) };
      setStreamed((previous) => (previous.some((known) => known.id === step.id) ? previous : [...previous, step]));
    });
    source.addEventListener("status", (message) => {
      const { status: newStatus } = JSON.parse(message.data) as { status: string };
      setHeardStatus(newStatus);
      if (!FOLLOWED_STATUSES.includes(newStatus)) source.close();
      if (newStatus !== renderedStatus.current) refreshFor(newStatus);
    });
    source.addEventListener("end", (message) => {
      const { status: newStatus } = JSON.parse(message.data) as { status: string };
      setHeardStatus(newStatus);
      // Closed here, or EventSource would connect again when the server closes the stream.
      source.close();
      refreshFor(newStatus);
    });
    return () => source.close();
  }, [jobId, isFollowed, router]);

  return <JobStepList events={merged} isRunning={(heardStatus ?? status) === "running"} timeZone={timeZone} />;
}
