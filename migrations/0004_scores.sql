-- Customer risk scores: every computation kept with its inputs, contributions, reasons and
-- policy version (the history); the latest is copied on the customer for lists and filters.
CREATE TABLE customer_scores (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL,
  score integer NOT NULL CHECK (score BETWEEN 0 AND 100),
  band char(1) NOT NULL CHECK (band IN ('A', 'B', 'C', 'D', 'E')),
  inputs jsonb NOT NULL,
  contributions jsonb NOT NULL,
  reasons jsonb NOT NULL,
  policy_version text NOT NULL,
  as_of date NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (organisation_id, customer_id) REFERENCES customers (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX customer_scores_customer_idx ON customer_scores (organisation_id, customer_id, computed_at DESC);

ALTER TABLE customers ADD COLUMN risk_score integer;
ALTER TABLE customers ADD COLUMN risk_band char(1);
ALTER TABLE customers ADD COLUMN risk_scored_at timestamptz;
CREATE INDEX customers_risk_idx ON customers (organisation_id, risk_score);
