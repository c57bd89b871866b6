-- Indexes for the queries that run on every page view and scheduler tick (issue #7; see
-- scripts/bench/dashboard.ts). Checked with EXPLAIN QUERY PLAN on a 10,000-certificate fleet.

-- The certificates list: ORDER BY notAfter, name with LIMIT/OFFSET walks this index (no sort).
CREATE INDEX "Certificate_notAfter_name_idx" ON "Certificate"("notAfter", "name");

-- The overview tiles: one aggregate over this covering index, without reading the rows.
CREATE INDEX "Certificate_renewAfter_notAfter_status_idx" ON "Certificate"("renewAfter", "notAfter", "status");

-- The scheduler's renewalInfo (ARI) refresh: certificates whose check is due.
CREATE INDEX "Certificate_ariNextCheckAt_idx" ON "Certificate"("ariNextCheckAt");

-- The scheduler's deploys waiting for a maintenance window (rare among all versions).
CREATE INDEX "CertificateVersion_deployStatus_idx" ON "CertificateVersion"("deployStatus");
