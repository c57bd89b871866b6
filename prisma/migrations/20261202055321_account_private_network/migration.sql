-- "This CA is on my private network or this machine (lab CA, step-ca)", per account.
ALTER TABLE "AcmeAccount" ADD COLUMN "privateNetwork" BOOLEAN NOT NULL DEFAULT false;

-- Accounts that already point at a lab or private CA keep working: a directory on this machine or
-- a private address, or served over http (only a lab CA does that), was reachable before the
-- outbound policy existed. Accounts behind a name that resolves to a private address are turned
-- on in the dashboard (Accounts → the account → "This CA is on my private network").
UPDATE "AcmeAccount" SET "privateNetwork" = true
WHERE "directoryUrl" LIKE 'http://%'
   OR "directoryUrl" LIKE 'https://localhost:%' OR "directoryUrl" LIKE 'https://localhost/%'
   OR "directoryUrl" LIKE 'https://127.%'
   OR "directoryUrl" LIKE 'https://[::1]%'
   OR "directoryUrl" LIKE 'https://10.%'
   OR "directoryUrl" LIKE 'https://192.168.%'
   OR "directoryUrl" LIKE 'https://172.16.%' OR "directoryUrl" LIKE 'https://172.17.%' OR "directoryUrl" LIKE 'https://172.18.%' OR "directoryUrl" LIKE 'https://172.19.%'
   OR "directoryUrl" LIKE 'https://172.20.%' OR "directoryUrl" LIKE 'https://172.21.%' OR "directoryUrl" LIKE 'https://172.22.%' OR "directoryUrl" LIKE 'https://172.23.%'
   OR "directoryUrl" LIKE 'https://172.24.%' OR "directoryUrl" LIKE 'https://172.25.%' OR "directoryUrl" LIKE 'https://172.26.%' OR "directoryUrl" LIKE 'https://172.27.%'
   OR "directoryUrl" LIKE 'https://172.28.%' OR "directoryUrl" LIKE 'https://172.29.%' OR "directoryUrl" LIKE 'https://172.30.%' OR "directoryUrl" LIKE 'https://172.31.%'
   OR "directoryUrl" LIKE 'https://[fd%' OR "directoryUrl" LIKE 'https://[fc%';
