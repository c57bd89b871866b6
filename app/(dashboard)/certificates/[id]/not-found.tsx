import { RouteNotFound } from "@/components/route-not-found";

export default function CertificateNotFound() {
  return (
    <RouteNotFound
      title="No such certificate"
      body="There is no certificate at this address. It may have been deleted; its files then moved to deleted/ in the certificates directory."
    />
  );
}
