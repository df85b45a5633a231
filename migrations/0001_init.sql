-- SPDX-License-Identifier: ISC
-- ita-survey schema, version 1.
--
-- CONFIDENTIALITY BY STRUCTURE.  Two groups of tables must never be
-- joinable:
--   * who may answer:  tokens (one-time access codes, as keyed hashes),
--     submissions (replay guard, keyed hashes), kiosks;
--   * what was answered: responses, answer_counts, published_counts.
-- They share no key and no column.  responses rows have random ids in a
-- WITHOUT ROWID table, so neither their storage order nor their id says
-- when or in which order they arrived, and they carry no time at all.

-- One collection of one form, e.g. the 2563 IIT of one agency.
CREATE TABLE rounds (
	id		INTEGER PRIMARY KEY,	-- positive, shown to admins
	form_id		TEXT NOT NULL,		-- forms/*.json "id"
	title		TEXT NOT NULL,		-- UTF-8, shown to respondents
	population	INTEGER NOT NULL DEFAULT 0
			CHECK (population >= 0), -- head-count; 0 = unknown
	public		INTEGER NOT NULL DEFAULT 0
			CHECK (public IN (0, 1)), -- external: anyone may answer
	state		TEXT NOT NULL DEFAULT 'closed'
			CHECK (state IN ('closed', 'open')),
	min_cell	INTEGER NOT NULL CHECK (min_cell > 0),
						-- form's min_cell when created
	respondents	INTEGER NOT NULL DEFAULT 0, -- exact stored responses
	scored		INTEGER NOT NULL DEFAULT 0, -- responses in the
						-- published snapshot: a
						-- multiple of min_cell
	tokens_issued	INTEGER NOT NULL DEFAULT 0, -- access codes issued
	tokens_used	INTEGER NOT NULL DEFAULT 0, -- of those, used (a count
						-- kept with respondents, so
						-- no scan of tokens)
	created_at	INTEGER NOT NULL	-- unix seconds (admin action)
);

-- One-time access codes of internal rounds.  Only the keyed hash is kept
-- (BLAKE2b keyed with the server secret), so the database alone cannot
-- produce or recognise a code.  No time of use is recorded.
CREATE TABLE tokens (
	hash		BLOB PRIMARY KEY,	-- token_hash(ACCESS, round, code)
	round_id	INTEGER NOT NULL REFERENCES rounds(id),
	used		INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1))
) WITHOUT ROWID;

-- Replay guard: the keyed hash of each stored submission_id, so a retry
-- answers "already_accepted" and counts nothing twice.  Nothing else: no
-- round order, no time, no link to a token or to an answer row.
CREATE TABLE submissions (
	hash		BLOB PRIMARY KEY	-- token_hash(SUBMISSION, round, id)
) WITHOUT ROWID;

-- Stored responses.  id is 16 random bytes, the table has no rowid, so
-- rows are stored and read in an order unrelated to arrival.  No time, no
-- address, no token, no kiosk.
CREATE TABLE responses (
	id		BLOB PRIMARY KEY,	-- 16 random bytes
	round_id	INTEGER NOT NULL REFERENCES rounds(id),
	answers		TEXT NOT NULL		-- JSON object, keys sorted:
						-- question code -> value
) WITHOUT ROWID;

-- Running answer counts per round, question and option, updated in the
-- same transaction as each response, so scores cost the same at ten
-- responses and at ten million.
CREATE TABLE answer_counts (
	round_id	INTEGER NOT NULL REFERENCES rounds(id),
	question	TEXT NOT NULL,		-- question code
	value		TEXT NOT NULL,		-- option value
	n		INTEGER NOT NULL,	-- answers with that value
	PRIMARY KEY (round_id, question, value)
) WITHOUT ROWID;

-- The published snapshot: answer_counts as they stood when the round's
-- respondents last reached a multiple of min_cell (rounds.scored), so a
-- published figure never moves by one person's answers.
CREATE TABLE published_counts (
	round_id	INTEGER NOT NULL REFERENCES rounds(id),
	question	TEXT NOT NULL,		-- question code
	value		TEXT NOT NULL,		-- option value
	n		INTEGER NOT NULL,	-- answers with that value
	PRIMARY KEY (round_id, question, value)
) WITHOUT ROWID;

-- Tablets at service counters that submit EIT responses.  The key is
-- kept only as a keyed hash.
CREATE TABLE kiosks (
	id		INTEGER PRIMARY KEY,
	round_id	INTEGER NOT NULL REFERENCES rounds(id),
	name		TEXT NOT NULL,		-- counter name, UTF-8
	key_hash	BLOB NOT NULL UNIQUE,	-- token_hash(KIOSK, 0, key)
	revoked		INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
	responses	INTEGER NOT NULL DEFAULT 0, -- responses it submitted
	last_seen_day	TEXT,			-- UTC day of last contact
						-- (no finer time: a kiosk's
						-- clock must not date answers)
	created_at	INTEGER NOT NULL	-- unix seconds (admin action)
);

-- Administrator accounts of the agency's ITA working group.
CREATE TABLE admins (
	id		INTEGER PRIMARY KEY,
	username	TEXT NOT NULL UNIQUE,	-- 1-64 chars [A-Za-z0-9._@+-]
	pwhash		TEXT NOT NULL,		-- crypto_pwhash_str (argon2id)
	role		TEXT NOT NULL CHECK (role IN ('admin', 'viewer')),
	failed_logins	INTEGER NOT NULL DEFAULT 0, -- since last success
	locked_until	INTEGER NOT NULL DEFAULT 0, -- unix seconds
	created_at	INTEGER NOT NULL	-- unix seconds
);

-- Admin sessions.  Cookie and CSRF token are kept only as keyed hashes.
CREATE TABLE sessions (
	hash		BLOB PRIMARY KEY,	-- token_hash(SESSION, 0, cookie)
	admin_id	INTEGER NOT NULL REFERENCES admins(id) ON DELETE CASCADE,
	csrf_hash	BLOB NOT NULL,		-- token_hash(CSRF, 0, csrf)
	expires_at	INTEGER NOT NULL	-- unix seconds
) WITHOUT ROWID;

-- Append-only record of admin actions (never a respondent event).
CREATE TABLE audit_log (
	id		INTEGER PRIMARY KEY,	-- order of actions
	at		INTEGER NOT NULL,	-- unix seconds
	username	TEXT NOT NULL,		-- who ("cli" from the shell)
	action		TEXT NOT NULL,		-- e.g. "round.open"
	detail		TEXT NOT NULL		-- e.g. "round 7"
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
