-- Why the application behind a link was deleted, kept on the link's tombstone beside the date:
-- `withdrawn` (through the link), `recruiter` (the inbox's "delete now") or `retention` (its
-- storage period ended); NULL for tombstones made before this column. The applicant's page says
-- what happened from this state, never from its address (a `?withdrawn=1` anybody can add).
-- Nothing personal: the same three words the `application.deleted` event carries.
ALTER TABLE applicant_links ADD COLUMN deleted_reason TEXT
  CHECK (deleted_reason IS NULL OR deleted_reason IN ('withdrawn', 'recruiter', 'retention'));
