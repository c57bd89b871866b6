import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { FormPage } from "@/components/form-page";
import { SETTINGS_SECTIONS } from "@/components/settings-sections";
import { requireUser } from "@/lib/web/session";
import { getTargetFormDefaults } from "@/lib/domain/deploy/targets/queries";
import { TargetForm, type TargetFormType } from "../target-form";

export const metadata: Metadata = { title: "Add deploy target" };

const KINDS: Array<{ type: TargetFormType; title: string; description: string }> = [
  {
    type: "nginx",
    title: "nginx on this server",
    description: "nginx reads CertDeck's live/ files; each deploy runs nginx -t, reloads, checks what is served and rolls back when it is not the new version.",
  },
  {
    type: "ssh",
    title: "Remote host over SSH",
    description:
      "Copies the files to another server with SFTP (keys 0600), runs its reload command, then checks what it serves. The host key is pinned on first use.",
  },
  {
    type: "command",
    title: "Command",
    description: "Runs a command here with certbot's RENEWED_LINEAGE and RENEWED_DOMAINS, like a deploy hook, with its own status and retries.",
  },
];

export default async function NewDeployTargetPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const { type } = await searchParams;
  const kind = KINDS.find((candidate) => candidate.type === type);
  if (!kind) {
    return (
      <>
        <PageHeader title="Add deploy target" description="Which kind of target?" />
        <ul className="grid max-w-4xl gap-3 sm:grid-cols-3">
          {KINDS.map((candidate) => (
            <li key={candidate.type}>
              <Link
                href={`${SETTINGS_SECTIONS.deployTargets.href}/new?type=${candidate.type}`}
                className="block h-full rounded-lg border border-zinc-200 bg-white px-4 py-3 text-sm shadow-xs hover:border-zinc-300 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-zinc-700"
              >
                <span className="font-semibold">{candidate.title}</span>
                <span className="mt-0.5 block text-xs text-zinc-500 dark:text-zinc-400">{candidate.description}</span>
              </Link>
            </li>
          ))}
        </ul>
      </>
    );
  }
  return (
    <FormPage title={`Add deploy target: ${kind.title}`} description={kind.description}>
      <TargetForm type={kind.type} defaults={await getTargetFormDefaults()} />
    </FormPage>
  );
}
