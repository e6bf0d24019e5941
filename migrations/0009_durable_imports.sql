-- Files of imports running in the background, kept until the import has finished: the import is
-- a job, and a job whose process died is taken again from this copy.
CREATE TABLE import_uploads (
  import_id uuid PRIMARY KEY REFERENCES imports(id) ON DELETE CASCADE,
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  bytes bytea NOT NULL,
  options jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
