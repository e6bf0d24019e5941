-- Encours receivables ledger. Every business table carries organisation_id (tenancy).
-- Amounts are bigint minor units of their row's currency; dates are calendar dates.

CREATE TABLE organisations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  base_currency char(3) NOT NULL DEFAULT 'EUR',
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  email text NOT NULL,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'credit_manager', 'collector', 'sales', 'viewer')),
  password_hash text NOT NULL,
  locale text CHECK (locale IN ('fr', 'en')),
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- A person logs in with an e-mail address alone, so addresses are unique across organisations.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_organisation_idx ON users (organisation_id);

CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  name text NOT NULL,
  prefix text NOT NULL,
  key_hash text NOT NULL UNIQUE,
  role text NOT NULL CHECK (role IN ('admin', 'credit_manager', 'collector', 'sales', 'viewer')),
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  last_used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE customers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  external_ref text NOT NULL,
  legal_name text NOT NULL,
  siren char(9),
  siret char(14),
  vat_number text,
  lei char(20),
  country char(2) NOT NULL DEFAULT 'FR',
  address_line1 text,
  address_line2 text,
  postal_code text,
  city text,
  parent_id uuid REFERENCES customers(id) ON DELETE SET NULL,
  segment text,
  activity_code text,
  payment_terms_days integer CHECK (payment_terms_days BETWEEN 0 AND 365),
  currency char(3),
  collector_id uuid REFERENCES users(id) ON DELETE SET NULL,
  tags text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, external_ref),
  UNIQUE (organisation_id, id)
);
CREATE INDEX customers_siren_idx ON customers (organisation_id, siren);
CREATE INDEX customers_name_idx ON customers (organisation_id, lower(legal_name), id);
CREATE INDEX customers_parent_idx ON customers (organisation_id, parent_id);

CREATE TABLE contacts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL,
  name text NOT NULL,
  email text,
  phone text,
  role text,
  is_primary boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (organisation_id, customer_id) REFERENCES customers (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX contacts_customer_idx ON contacts (organisation_id, customer_id);

-- Invoices and credit notes. Credit notes carry negative amounts; open_amount is the total
-- minus what allocations settled, maintained in the same transaction as the allocations.
CREATE TABLE invoices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL,
  number text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
  issue_date date NOT NULL,
  due_date date NOT NULL,
  currency char(3) NOT NULL,
  total_excl_tax bigint NOT NULL,
  total_incl_tax bigint NOT NULL,
  open_amount bigint NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paid', 'cancelled')),
  is_disputed boolean NOT NULL DEFAULT false,
  paid_date date,
  order_number text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, number),
  UNIQUE (organisation_id, id),
  CHECK (due_date >= issue_date),
  FOREIGN KEY (organisation_id, customer_id) REFERENCES customers (organisation_id, id)
);
CREATE INDEX invoices_customer_idx ON invoices (organisation_id, customer_id, due_date);
-- Open items drive aging, exposure and dunning: keep them in a small partial index.
CREATE INDEX invoices_open_idx ON invoices (organisation_id, due_date) INCLUDE (customer_id, currency, open_amount, issue_date) WHERE open_amount <> 0 AND status <> 'cancelled';
CREATE INDEX invoices_issue_idx ON invoices (organisation_id, issue_date);

CREATE TABLE payments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  customer_id uuid,
  reference text NOT NULL,
  received_date date NOT NULL,
  currency char(3) NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  unapplied_amount bigint NOT NULL CHECK (unapplied_amount >= 0),
  method text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, reference),
  UNIQUE (organisation_id, id),
  FOREIGN KEY (organisation_id, customer_id) REFERENCES customers (organisation_id, id)
);
CREATE INDEX payments_customer_idx ON payments (organisation_id, customer_id, received_date);

-- A payment settles one or more invoices; allocation_date is the payment's value date so the
-- ledger can be replayed "as of" any past date.
CREATE TABLE allocations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  payment_id uuid NOT NULL,
  invoice_id uuid NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  allocation_date date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (payment_id, invoice_id),
  FOREIGN KEY (organisation_id, payment_id) REFERENCES payments (organisation_id, id) ON DELETE CASCADE,
  FOREIGN KEY (organisation_id, invoice_id) REFERENCES invoices (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX allocations_invoice_idx ON allocations (invoice_id, allocation_date);

-- Orders taken but not yet invoiced count in exposure.
CREATE TABLE orders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL,
  number text NOT NULL,
  order_date date NOT NULL,
  expected_invoice_date date,
  currency char(3) NOT NULL,
  amount_incl_tax bigint NOT NULL CHECK (amount_incl_tax >= 0),
  status text NOT NULL CHECK (status IN ('open', 'invoiced', 'cancelled')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organisation_id, number),
  UNIQUE (organisation_id, id),
  FOREIGN KEY (organisation_id, customer_id) REFERENCES customers (organisation_id, id)
);
CREATE INDEX orders_customer_idx ON orders (organisation_id, customer_id) WHERE status = 'open';

-- rate = units of the organisation's base currency for one unit of `currency`, valid from rate_date.
CREATE TABLE exchange_rates (
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  currency char(3) NOT NULL,
  rate_date date NOT NULL,
  rate numeric(20, 10) NOT NULL CHECK (rate > 0),
  PRIMARY KEY (organisation_id, currency, rate_date)
);

CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  actor_type text NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system')),
  actor_id uuid,
  action text NOT NULL,
  entity text NOT NULL,
  entity_id uuid,
  before jsonb,
  after jsonb,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_entity_idx ON audit_log (organisation_id, entity, entity_id, id);
