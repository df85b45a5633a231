-- SPDX-License-Identifier: ISC
-- ita-survey schema, version 3: what a working group needs to run a year
-- from the console alone (issue "Admin console, second pass").

-- Settings an administrator changes in the console, e.g. the agency's
-- name printed on every export.  Known names only (settings.c).
CREATE TABLE settings (
	name		TEXT PRIMARY KEY,
	value		TEXT NOT NULL
) WITHOUT ROWID;

-- A round once opened may hold answers, even while it shows none (its
-- counts move in steps of min_cell): only a round never opened may be
-- deleted, so whether a round can be deleted never tells an
-- administrator that someone answered.
ALTER TABLE rounds ADD COLUMN opened INTEGER NOT NULL DEFAULT 0
	CHECK (opened IN (0, 1));
UPDATE rounds SET opened = 1 WHERE state = 'open' OR final = 1 OR
	respondents > 0 OR tokens_used > 0 OR EXISTS (
	SELECT 1 FROM audit_log WHERE action = 'round.open'
	AND detail LIKE 'round ' || rounds.id || ':%');

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
