-- Accounts: e-mails unique per organisation, login throttling per account, session idle times.

-- E-mail addresses are unique per organisation, not across them: a global index let one organisation's
-- administrator learn that an address exists elsewhere (the 409) and squat addresses another organisation
-- would need. Logging in resolves the account by e-mail and password (see src/app/auth/sessions.ts).
DROP INDEX users_email_key;
CREATE UNIQUE INDEX users_organisation_email_key ON users (organisation_id, lower(email));
CREATE INDEX users_email_idx ON users (lower(email));
ALTER TABLE users ADD COLUMN password_changed_at timestamptz;

-- Idle timeout: a session unused for a while ends even before expires_at.
ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- Failed logins per account, shared by every process. Keyed by the SHA-256 of the lower-cased e-mail
-- whether or not an account has it (so the throttle itself reveals nothing); it exists before anyone is
-- authenticated, hence no organisation_id.
CREATE TABLE login_throttle (
  account_key text PRIMARY KEY,
  failures integer NOT NULL,
  last_failure_at timestamptz NOT NULL,
  locked_until timestamptz
);
CREATE INDEX login_throttle_last_failure_idx ON login_throttle (last_failure_at);
