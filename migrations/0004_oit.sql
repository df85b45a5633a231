-- SPDX-License-Identifier: ISC
-- ita-survey schema, version 4: the OIT evidence desk (issue "OIT evidence
-- desk").  The checklist's items are data in forms/oit-YEAR.json; here is
-- what the working group says about them and what the watcher saw.
-- Times are unix seconds; days are the server's local calendar days.

-- The working group's word on one item of a checklist: is its content
-- ready (their yes or no, and a note), and who is responsible.
CREATE TABLE oit_items (
	checklist	TEXT NOT NULL,		-- the file's id, "oit-2563"
	item		TEXT NOT NULL,		-- "o1"
	ready		INTEGER NOT NULL DEFAULT 0 CHECK (ready IN (0, 1)),
	note		TEXT NOT NULL DEFAULT '',
	owner		TEXT NOT NULL DEFAULT '',
	updated_at	INTEGER NOT NULL,
	updated_by	TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (checklist, item)
) WITHOUT ROWID;

-- An evidence URL of an item, and what its last check found.  A removed
-- URL is no longer checked but keeps its history: the proof of
-- availability outlives the URL.
CREATE TABLE oit_urls (
	id		INTEGER PRIMARY KEY,
	checklist	TEXT NOT NULL,
	item		TEXT NOT NULL,
	url		TEXT NOT NULL,
	added_at	INTEGER NOT NULL,
	added_by	TEXT NOT NULL,
	removed_at	INTEGER,
	-- unknown (never checked), up, suspect (200 but an error page or
	-- much smaller than its last good copy), down
	state		TEXT NOT NULL DEFAULT 'unknown' CHECK (state IN
			    ('unknown', 'up', 'suspect', 'down')),
	since		INTEGER,		-- when this state began
	fails		INTEGER NOT NULL DEFAULT 0, -- checks in a row not up
	checked_at	INTEGER,		-- the last check:
	status		INTEGER,		-- HTTP status, 0 when none
	final_url	TEXT,			-- after redirects
	on_site		INTEGER,		-- final URL on the main site
	ttfb_ms		INTEGER,		-- time to first byte
	size		INTEGER,		-- body bytes
	ctype		TEXT,			-- Content-Type
	sha256		TEXT,			-- of the body, hex
	cert_days	INTEGER,		-- days to certificate expiry
	error		TEXT			-- why not up: a short code
);
CREATE UNIQUE INDEX oit_urls_live ON oit_urls (checklist, item, url)
	WHERE removed_at IS NULL;

-- The check log, compact: one row for each check that changed a URL's
-- state, final URL or place (on or off the main site), and the first.
CREATE TABLE oit_changes (
	id		INTEGER PRIMARY KEY,
	url_id		INTEGER NOT NULL REFERENCES oit_urls (id),
	at		INTEGER NOT NULL,
	state		TEXT NOT NULL,
	status		INTEGER NOT NULL,
	final_url	TEXT,
	on_site		INTEGER,
	ttfb_ms		INTEGER,
	size		INTEGER,
	ctype		TEXT,
	sha256		TEXT,
	cert_days	INTEGER,
	error		TEXT
);
CREATE INDEX oit_changes_url_at ON oit_changes (url_id, at);
CREATE INDEX oit_changes_at ON oit_changes (at);

-- One row per URL and day: how many checks, and how they went.
CREATE TABLE oit_daily (
	url_id		INTEGER NOT NULL REFERENCES oit_urls (id),
	day		TEXT NOT NULL,		-- "YYYY-MM-DD", local
	checks		INTEGER NOT NULL DEFAULT 0,
	up		INTEGER NOT NULL DEFAULT 0,
	suspect		INTEGER NOT NULL DEFAULT 0,
	down		INTEGER NOT NULL DEFAULT 0,
	ttfb_ms_sum	INTEGER NOT NULL DEFAULT 0, -- over checks that answered
	ttfb_ms_max	INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (url_id, day)
) WITHOUT ROWID;

-- An incident: raised by the check that crossed the line, closed by the
-- one that found it mended.  kind: down (N checks in a row not up),
-- cert (certificate expires within the warning days), offsite (the
-- final URL left the main site).  At most one open per URL and kind.
CREATE TABLE oit_alerts (
	id		INTEGER PRIMARY KEY,
	url_id		INTEGER NOT NULL REFERENCES oit_urls (id),
	kind		TEXT NOT NULL CHECK (kind IN ('down', 'cert',
			    'offsite')),
	opened_at	INTEGER NOT NULL,
	closed_at	INTEGER,
	detail		TEXT NOT NULL		-- facts, JSON
);
CREATE UNIQUE INDEX oit_alerts_open ON oit_alerts (url_id, kind)
	WHERE closed_at IS NULL;
CREATE INDEX oit_alerts_opened ON oit_alerts (opened_at);

-- Notices of alerts still to deliver or delivered: one per alert, event
-- (open or close) and channel configured at the time.  A sender claims
-- one by setting tried_at, so that the server and "oit check" never both
-- send it, and a failed one waits before the next try.
CREATE TABLE oit_notices (
	id		INTEGER PRIMARY KEY,
	alert_id	INTEGER NOT NULL REFERENCES oit_alerts (id),
	event		TEXT NOT NULL CHECK (event IN ('open', 'close')),
	channel		TEXT NOT NULL CHECK (channel IN ('mail', 'webhook')),
	created_at	INTEGER NOT NULL,
	tried_at	INTEGER,		-- last claimed for sending
	sent_at		INTEGER,
	attempts	INTEGER NOT NULL DEFAULT 0,
	error		TEXT,
	UNIQUE (alert_id, event, channel)
);
CREATE INDEX oit_notices_unsent ON oit_notices (id) WHERE sent_at IS NULL;

-- The last good body of each URL, within the size limit and the quota.
CREATE TABLE oit_copies (
	url_id		INTEGER PRIMARY KEY REFERENCES oit_urls (id),
	fetched_at	INTEGER NOT NULL,
	final_url	TEXT NOT NULL,
	ctype		TEXT NOT NULL,
	size		INTEGER NOT NULL,
	sha256		TEXT NOT NULL,
	body		BLOB NOT NULL
);
