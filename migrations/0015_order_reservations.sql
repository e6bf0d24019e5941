-- An accepted order check reserves its amount in the customer's exposure until the order with its
-- reference is written (the reservation ends: reserved_until set to NULL) or the date passes
-- (organisation setting credit.reservationDays, default 7). Checks accepted before this migration
-- reserve nothing.
ALTER TABLE order_checks ADD COLUMN reserved_until date;
CREATE INDEX order_checks_reserved_idx ON order_checks (organisation_id, customer_id) INCLUDE (amount, reserved_until) WHERE reserved_until IS NOT NULL;
CREATE INDEX order_checks_reserved_ref_idx ON order_checks (organisation_id, order_ref) WHERE reserved_until IS NOT NULL;
