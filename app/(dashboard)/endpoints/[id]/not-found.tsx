import { RouteNotFound } from "@/components/route-not-found";

export default function EndpointNotFound() {
  return (
    <RouteNotFound
      title="No such endpoint"
      body="This endpoint is not watched (any more). It may have been removed, or its deploy target no longer verifies there."
    />
  );
}
