-- Credit limits by source, kept whole (the history says who set what, when and why), and every
-- order check with its answer and reasons.
CREATE TABLE credit_limits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL,
  source text NOT NULL CHECK (source IN ('insurer', 'provider', 'internal')),
  amount bigint NOT NULL CHECK (amount >= 0),
  valid_from date NOT NULL,
  valid_until date,
  reason text,
  created_by_type text NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_until IS NULL OR valid_until >= valid_from),
  FOREIGN KEY (organisation_id, customer_id) REFERENCES customers (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX credit_limits_customer_idx ON credit_limits (organisation_id, customer_id, valid_from);

CREATE TABLE order_checks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL,
  order_ref text,
  amount bigint NOT NULL,
  decision text NOT NULL CHECK (decision IN ('accepted', 'on_hold', 'refused')),
  reasons jsonb NOT NULL,
  exposure bigint NOT NULL,
  credit_limit bigint,
  -- An order on hold waits in a queue until room is made (payment, higher limit) or a person decides.
  hold_status text CHECK (hold_status IN ('held', 'released', 'cancelled')),
  hold_decided_at timestamptz,
  hold_decided_by_type text,
  hold_decided_by uuid,
  hold_decision_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (organisation_id, customer_id) REFERENCES customers (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX order_checks_customer_idx ON order_checks (organisation_id, customer_id, created_at DESC);
CREATE INDEX order_checks_held_idx ON order_checks (organisation_id, created_at) WHERE hold_status = 'held';
