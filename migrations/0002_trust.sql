-- SPDX-License-Identifier: ISC
-- ita-survey schema, version 2: the round lifecycle and figures that never
-- move by one person (issue "Trust").

-- A round is final once any raw responses export of it was produced: it
-- never accepts another response and cannot be reopened, so two exports
-- can never be compared to isolate one person's answers.
ALTER TABLE rounds ADD COLUMN final INTEGER NOT NULL DEFAULT 0
	CHECK (final IN (0, 1));

-- Rounds whose responses were exported before this version: final too.
UPDATE rounds SET final = 1, state = 'closed' WHERE EXISTS (
	SELECT 1 FROM audit_log
	WHERE action = 'export'
	AND detail LIKE 'round ' || rounds.id || ' responses%');

CREATE TRIGGER rounds_final_stays BEFORE UPDATE OF state, final ON rounds
WHEN OLD.final = 1 AND (NEW.final = 0 OR NEW.state <> 'closed')
BEGIN
	SELECT RAISE(ABORT, 'a final round stays closed');
END;

-- Each kiosk's response count as it stood at its round's last published
-- snapshot (rounds.scored): what administrators see, in steps of
-- min_cell, so a quiet counter's count never moves with one response.
ALTER TABLE kiosks ADD COLUMN published INTEGER NOT NULL DEFAULT 0;
UPDATE kiosks SET published = responses;

-- Revoking a kiosk is final: a stolen tablet's key never comes back.
CREATE TRIGGER kiosks_revoked_stays BEFORE UPDATE OF revoked ON kiosks
WHEN OLD.revoked = 1 AND NEW.revoked = 0
BEGIN
	SELECT RAISE(ABORT, 'a revoked kiosk stays revoked');
END;

-- Failed logins are limited per account name and client address, in the
-- server's memory, never by locking an account for everyone.
ALTER TABLE admins DROP COLUMN failed_logins;
ALTER TABLE admins DROP COLUMN locked_until;
