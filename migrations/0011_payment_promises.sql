-- Promises to pay a customer makes to a collector: how much, by when, for which invoices. Whether
-- a promise was kept or broken is not stored: it follows from the payments received, so it is
-- always as right as the ledger. Only a cancellation (by a person, with a reason) is.
CREATE TABLE payment_promises (
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT uuid_v7(),
  customer_id uuid NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  currency text NOT NULL,
  made_on date NOT NULL,
  promised_date date NOT NULL,
  invoice_ids uuid[] NOT NULL DEFAULT '{}',
  note text,
  created_by_type text NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  cancelled_at timestamptz,
  cancel_reason text,
  PRIMARY KEY (organisation_id, id),
  CHECK (promised_date >= made_on),
  CHECK ((cancelled_at IS NULL) = (cancel_reason IS NULL)),
  FOREIGN KEY (organisation_id, customer_id) REFERENCES customers (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX payment_promises_customer_idx ON payment_promises (organisation_id, customer_id, promised_date);
