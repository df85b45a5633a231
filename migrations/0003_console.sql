-- SPDX-License-Identifier: ISC
-- ita-survey schema, version 3: what a working group needs to run a year
-- from the console alone (issue "Admin console, second pass").

-- Settings an administrator changes in the console, e.g. the agency's
-- name printed on every export.  Known names only (settings.c).
CREATE TABLE settings (
	name		TEXT PRIMARY KEY,
	value		TEXT NOT NULL
) WITHOUT ROWID;

-- An archived round is hidden from the console's lists and the ITA
-- overview's choices, but stays readable and exportable.
ALTER TABLE rounds ADD COLUMN archived INTEGER NOT NULL DEFAULT 0
	CHECK (archived IN (0, 1));

-- An account that left is disabled, never deleted, so the audit log's
-- names keep meaning someone.  must_change: the password was set by
-- another administrator (a reset), so its owner must choose a new one
-- before doing anything else.
ALTER TABLE admins ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0
	CHECK (disabled IN (0, 1));
ALTER TABLE admins ADD COLUMN must_change INTEGER NOT NULL DEFAULT 0
	CHECK (must_change IN (0, 1));

-- The audit line's facts as a JSON object (round, title, count, user,
-- role, ...), so the console shows each line in Thai or English and can
-- filter by them.  NULL on lines written before this version: their
-- detail is shown as it was written.
ALTER TABLE audit_log ADD COLUMN params TEXT;
CREATE INDEX audit_log_at ON audit_log (at);
