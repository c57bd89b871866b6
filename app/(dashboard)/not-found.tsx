import { RouteNotFound } from "@/components/route-not-found";

export default function DashboardNotFound() {
  return <RouteNotFound title="Not found" body="There is nothing at this address. It may have been deleted." />;
}
