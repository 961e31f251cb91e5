-- An application is never a "version" of another one (review of issue 11): a typed e-mail
-- address proves nothing, so a submission from the public form neither supersedes, nor
-- reveals, nor is capped by another application that carries the same address. Every accepted
-- submission is an application of its own (functions/storage/applications.ts). What 0011
-- added for versions changes accordingly:
--   - `supersedes` goes (the link between "versions");
--   - the versions index goes; the index below serves the recruiters' hint "other applications
--     with the same e-mail address" (email_key first, across postings) and the bound on
--     applications per posting, e-mail address and Munich day (functions/applications/
--     rateLimits.ts), which counts one posting's applications of one address since a moment;
--   - `fingerprint` (0001) is, from now on, the SHA-256 of `content_sha256` and a newline
--     (what 0011 wrote for a first application), so an identical resubmission — a refresh, a
--     double click — is recognised, and two racing each other store one row.
DROP INDEX applications_versions;
ALTER TABLE applications DROP COLUMN supersedes;
CREATE INDEX applications_by_email ON applications (email_key, job_slug, created_at);
