-- Alerts: what changed about a customer that a person should look at. One open alert per
-- dedup key (a band drop to E, a threshold crossed…); assigned and acknowledged by people.
CREATE TABLE alerts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('band_drop', 'threshold', 'payment_deterioration', 'legal_event', 'cover_reduced')),
  severity text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  dedup_key text NOT NULL,
  title text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged')),
  assigned_to uuid REFERENCES users(id) ON DELETE SET NULL,
  acknowledged_by uuid,
  acknowledged_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (organisation_id, customer_id) REFERENCES customers (organisation_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX alerts_open_dedup_idx ON alerts (organisation_id, dedup_key) WHERE status = 'open';
CREATE INDEX alerts_status_idx ON alerts (organisation_id, status, created_at DESC);
