"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";

/**
 * Keeps a list of jobs current without polling: one event stream (GET /api/jobs/events, statuses
 * only) for the queued and running jobs the page shows, and one re-render of the page when one of
 * them changes status or ends. Renders nothing; without JavaScript the page is as it was rendered.
 */
export function LiveJobsRefresh({ jobs }: { jobs: Array<{ id: string; status: string }> }) {
  const router = useRouter();
  const followed = jobs.filter((job) => job.status === "queued" || job.status === "running");
  const key = followed.map((job) => job.id).join(",");
  const renderedStatuses = useRef(new Map<string, string>());
  useEffect(() => {
    renderedStatuses.current = new Map(followed.map((job) => [job.id, job.status]));
  });

  useEffect(() => {
    if (!key) return;
    const ids = key.split(",");
    const query = ids.map((id) => `job=${encodeURIComponent(id)}`).join("&");
    const source = new EventSource(`/api/jobs/events?${query}`);
    const ended = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A burst of changes (several jobs ending together) becomes one re-render.
    const refreshSoon = () => {
      clearTimeout(timer);
      timer = setTimeout(() => router.refresh(), 150);
    };
    source.addEventListener("status", (message) => {
      const { jobId, status } = JSON.parse(message.data) as { jobId: string; status: string };
      if (renderedStatuses.current.get(jobId) !== status) refreshSoon();
    });
    source.addEventListener("end", (message) => {
      const { jobId } = JSON.parse(message.data) as { jobId: string };
      ended.add(jobId);
      if (ids.every((id) => ended.has(id))) source.close();
      refreshSoon();
    });
    return () => {
      clearTimeout(timer);
      source.close();
    };
  }, [key, router]);
  return null;
}
