import Link from "next/link";

/** The certificates that use a setting (a DNS provider, a deploy target), each a link to its page, inside a card. */
export function CertificateLinkList({ certificates, emptyText }: { certificates: Array<{ id: string; name: string }>; emptyText: string }) {
  if (certificates.length === 0) return <p className="px-4 py-3 text-sm text-zinc-500 dark:text-zinc-400">{emptyText}</p>;
  return (
    <ul className="px-4 py-3 text-sm">
      {certificates.map((certificate) => (
        <li key={certificate.id} className="break-all">
          <Link href={`/certificates/${certificate.id}`} className="text-blue-700 underline dark:text-blue-400">
            {certificate.name}
          </Link>
        </li>
      ))}
    </ul>
  );
}
