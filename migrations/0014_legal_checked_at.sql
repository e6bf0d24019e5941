-- When a legal register (BODACC) last answered about the customer's company. Until it has, the
-- legal status is unknown, never "no procedure". Filled from the calls on record.
ALTER TABLE customers ADD COLUMN legal_checked_at timestamptz;

UPDATE customers c SET legal_checked_at = k.called_at
FROM (SELECT organisation_id, subject, max(called_at) AS called_at FROM provider_calls
      WHERE operation = 'notices' AND status <> 'error' GROUP BY 1, 2) k
WHERE k.organisation_id = c.organisation_id AND k.subject = c.siren;
