-- Every file brought in (e-invoice, statement, spreadsheet) is an import with its outcome:
-- the report says what was created or refused, line by line, so nothing happens silently.
CREATE TABLE imports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('einvoice', 'statement', 'spreadsheet')),
  file_name text,
  file_sha256 text NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  progress integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  report jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_by_type text NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX imports_organisation_idx ON imports (organisation_id, created_at DESC);

-- Column mappings saved per source ("export Sage", "ERP nightly"…), reused by name on import.
CREATE TABLE mapping_profiles (
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  name text NOT NULL,
  entity text NOT NULL CHECK (entity IN ('customers', 'invoices', 'payments', 'orders')),
  mapping jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organisation_id, name)
);
