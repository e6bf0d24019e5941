-- Recomputing every score of a large portfolio writes one row per changed customer: keep those
-- writes cheap.
-- The composite key to customers already ties a score to its organisation.
ALTER TABLE customer_scores DROP CONSTRAINT IF EXISTS customer_scores_organisation_id_fkey;
-- Without an index on the score columns and with room left in each page, updating a customer's
-- current score is a heap-only update (no index entry rewritten). Sorting and filtering by score
-- stay per organisation and are cheap without it.
DROP INDEX IF EXISTS customers_risk_idx;
ALTER TABLE customers SET (fillfactor = 90);
-- What the last score said (score, band, reasons), to tell a change without reading the history.
ALTER TABLE customers ADD COLUMN risk_fingerprint text;
-- Order checks look up a customer's open threshold alerts: without this they scan every open
-- alert of the organisation.
CREATE INDEX alerts_open_customer_idx ON alerts (organisation_id, customer_id) WHERE status = 'open';
