-- Imported bank statements, their lines, and how each incoming credit was matched to invoices.
CREATE TABLE bank_statements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  import_id uuid REFERENCES imports(id) ON DELETE SET NULL,
  format text NOT NULL,
  statement_ref text,
  account_iban text,
  account_number text,
  currency char(3),
  opening_balance bigint,
  closing_balance bigint,
  opening_date date,
  closing_date date,
  is_balance_consistent boolean,
  balance_difference text,
  fingerprint text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, fingerprint),
  UNIQUE (organisation_id, id)
);

CREATE TABLE bank_lines (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  statement_id uuid NOT NULL,
  line_no integer NOT NULL,
  booking_date date NOT NULL,
  value_date date,
  amount bigint NOT NULL,
  currency char(3) NOT NULL,
  counterparty_name text,
  counterparty_iban text,
  remittance text,
  structured_reference text,
  end_to_end_id text,
  bank_reference text,
  -- Same account, date, amount and references: the same line, whichever file it came in.
  fingerprint text NOT NULL,
  status text NOT NULL CHECK (status IN ('debit', 'unmatched', 'proposed', 'matched', 'ignored')),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, fingerprint),
  UNIQUE (organisation_id, id),
  FOREIGN KEY (organisation_id, statement_id) REFERENCES bank_statements (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX bank_lines_status_idx ON bank_lines (organisation_id, status, booking_date);

CREATE TABLE payment_matches (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  line_id uuid NOT NULL,
  customer_id uuid,
  method text NOT NULL,
  confidence numeric(4, 2) NOT NULL,
  reasons jsonb NOT NULL,
  allocations jsonb NOT NULL,
  unapplied bigint NOT NULL DEFAULT 0,
  status text NOT NULL CHECK (status IN ('applied', 'proposed', 'rejected', 'undone')),
  payment_id uuid,
  decided_by_type text,
  decided_by uuid,
  decided_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (organisation_id, line_id) REFERENCES bank_lines (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX payment_matches_status_idx ON payment_matches (organisation_id, status, created_at);
CREATE INDEX payment_matches_line_idx ON payment_matches (line_id);

-- IBANs seen paying a customer: the next transfer from them identifies the customer.
CREATE TABLE customer_ibans (
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL,
  iban text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organisation_id, iban),
  FOREIGN KEY (organisation_id, customer_id) REFERENCES customers (organisation_id, id) ON DELETE CASCADE
);
