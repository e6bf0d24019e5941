-- Company data from providers (identity, legal events, ratings, financial statements), the calls
-- made to get it, insurer cover on limits, group limits, limit requests, alert channels and a
-- durable job queue for monitoring and deliveries.

-- Every call to an outside data source: who was asked what, when, how it went, what it cost.
CREATE TABLE provider_calls (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  provider text NOT NULL,
  operation text NOT NULL,
  subject text NOT NULL,
  status text NOT NULL CHECK (status IN ('ok', 'not_found', 'error')),
  http_status integer,
  duration_ms integer NOT NULL,
  cost bigint NOT NULL DEFAULT 0,
  error text,
  called_at timestamptz NOT NULL
);
CREATE INDEX provider_calls_subject_idx ON provider_calls (organisation_id, subject, called_at DESC);

-- The latest company profile each provider gave for a SIREN.
CREATE TABLE company_profiles (
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  siren char(9) NOT NULL,
  provider text NOT NULL,
  profile jsonb NOT NULL,
  fetched_at timestamptz NOT NULL,
  PRIMARY KEY (organisation_id, siren, provider)
);

-- Legal events (BODACC notices or entered by hand) per SIREN; a notice is stored once.
CREATE TABLE legal_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  siren char(9) NOT NULL,
  source text NOT NULL,
  source_id text NOT NULL,
  kind text NOT NULL,
  published_on date NOT NULL,
  judgment_date date,
  title text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  cancelled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, source, source_id)
);
CREATE INDEX legal_events_siren_idx ON legal_events (organisation_id, siren, published_on DESC);

ALTER TABLE customers ADD COLUMN company_checked_at timestamptz;
ALTER TABLE customers ADD COLUMN blocked boolean NOT NULL DEFAULT false;

-- Bureau and insurer ratings per customer, as given and on our scale.
CREATE TABLE external_ratings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL,
  provider text NOT NULL,
  raw_value text NOT NULL,
  score integer NOT NULL CHECK (score BETWEEN 0 AND 100),
  band char(1) NOT NULL,
  recommended_limit bigint CHECK (recommended_limit >= 0),
  rated_on date NOT NULL,
  created_by_type text NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, customer_id, provider, rated_on),
  FOREIGN KEY (organisation_id, customer_id) REFERENCES customers (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX external_ratings_customer_idx ON external_ratings (organisation_id, customer_id, rated_on DESC);

-- Annual accounts per customer and fiscal year end, in minor units of their currency.
CREATE TABLE financial_statements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL,
  fiscal_year_end date NOT NULL,
  currency char(3) NOT NULL,
  source text NOT NULL,
  figures jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, customer_id, fiscal_year_end),
  FOREIGN KEY (organisation_id, customer_id) REFERENCES customers (organisation_id, id) ON DELETE CASCADE
);

-- Insurer cover (quotité) on an insurer limit; a group limit is set on the parent and shared.
ALTER TABLE credit_limits ADD COLUMN cover_percent numeric(5, 2) CHECK (cover_percent > 0 AND cover_percent <= 100);
ALTER TABLE credit_limits ADD COLUMN scope text NOT NULL DEFAULT 'customer' CHECK (scope IN ('customer', 'group'));
ALTER TABLE credit_limits DROP CONSTRAINT credit_limits_source_check;
ALTER TABLE credit_limits ADD CONSTRAINT credit_limits_source_check CHECK (source IN ('insurer', 'provider', 'internal', 'policy'));

-- A request for a higher (or new) limit, decided by a credit manager.
CREATE TABLE limit_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL,
  amount bigint NOT NULL CHECK (amount >= 0),
  valid_until date,
  reason text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  requested_by_type text NOT NULL,
  requested_by uuid,
  decided_by uuid,
  decided_at timestamptz,
  decision_reason text,
  credit_limit_id uuid REFERENCES credit_limits(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (organisation_id, customer_id) REFERENCES customers (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX limit_requests_status_idx ON limit_requests (organisation_id, status, created_at DESC);

-- Where alerts go besides the inbox: an e-mail address or a webhook URL (signed with its secret).
CREATE TABLE alert_channels (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('email', 'webhook')),
  target text NOT NULL,
  -- HMAC key of a webhook: needed in clear to sign, shown once at creation, never logged.
  secret text,
  min_severity text NOT NULL DEFAULT 'warning' CHECK (min_severity IN ('info', 'warning', 'critical')),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_channels_org_idx ON alert_channels (organisation_id) WHERE active;

-- Durable jobs: monitoring refreshes and alert deliveries survive a restart and are retried.
CREATE TABLE jobs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid REFERENCES organisations(id) ON DELETE CASCADE,
  kind text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  dedup_key text,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  run_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 5,
  locked_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX jobs_due_idx ON jobs (run_at) WHERE status IN ('queued', 'running');
CREATE UNIQUE INDEX jobs_dedup_idx ON jobs (dedup_key) WHERE status IN ('queued', 'running') AND dedup_key IS NOT NULL;
CREATE INDEX jobs_org_idx ON jobs (organisation_id, kind, created_at DESC);
