-- How many applications were stored per posting and e-mail address on one day (Munich time):
-- the per-applicant limit of functions/applications/rateLimits.ts, which the per-client rate
-- limit cannot give (an applicant may send from many addresses). The key is a SHA-256 of
-- posting and e-mail (functions/storage/submissionCounts.ts), never the address itself; rows
-- of past days are deleted as new ones are written, so none lives longer than two days.
CREATE TABLE submission_counts (
  applicant_key TEXT NOT NULL CHECK (length(applicant_key) = 64),
  -- The Munich calendar day, YYYY-MM-DD.
  day TEXT NOT NULL CHECK (day = strftime('%Y-%m-%d', day)),
  count INTEGER NOT NULL CHECK (count > 0),
  PRIMARY KEY (applicant_key, day)
) WITHOUT ROWID;

CREATE INDEX submission_counts_by_day ON submission_counts (day);
