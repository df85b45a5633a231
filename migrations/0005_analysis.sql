-- SPDX-License-Identifier: ISC
-- ita-survey schema, version 5: the working group's year (issue "from
-- last year's results to this year's measures"): organisational units,
-- the guidance per indicator, and the measures.

-- ---- Units -------------------------------------------------------------
--
-- An organisational unit ("กองคลัง").  Access codes and kiosks may carry
-- one; a response then carries its unit and nothing more.  Per-unit
-- figures follow the same rule as a round's: each unit's counts have their
-- own published snapshot, taken when the unit's responses reach a multiple
-- of the round's min_cell, and a unit is shown only from the first one
-- (units.c adds the second-smallest rule).
CREATE TABLE units (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL UNIQUE,	-- UTF-8, as the group names it
	created_at	INTEGER NOT NULL	-- unix seconds (admin action)
);

ALTER TABLE tokens ADD COLUMN unit_id INTEGER REFERENCES units(id);
ALTER TABLE kiosks ADD COLUMN unit_id INTEGER REFERENCES units(id);
ALTER TABLE responses ADD COLUMN unit_id INTEGER REFERENCES units(id);

-- A unit's part in a round: it exists once codes were issued for it or a
-- kiosk of the round carries it.  respondents is exact (like
-- rounds.respondents, never shown); scored is the unit's published
-- snapshot, a multiple of the round's min_cell.
CREATE TABLE unit_rounds (
	round_id	INTEGER NOT NULL REFERENCES rounds(id),
	unit_id		INTEGER NOT NULL REFERENCES units(id),
	tokens_issued	INTEGER NOT NULL DEFAULT 0,
	respondents	INTEGER NOT NULL DEFAULT 0,
	scored		INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (round_id, unit_id)
) WITHOUT ROWID;

-- Running counts per unit, as answer_counts per round.
CREATE TABLE unit_counts (
	round_id	INTEGER NOT NULL,
	unit_id		INTEGER NOT NULL,
	question	TEXT NOT NULL,
	value		TEXT NOT NULL,
	n		INTEGER NOT NULL,
	PRIMARY KEY (round_id, unit_id, question, value),
	FOREIGN KEY (round_id, unit_id) REFERENCES unit_rounds
) WITHOUT ROWID;

-- Each unit's published snapshot, as published_counts per round.
CREATE TABLE unit_published (
	round_id	INTEGER NOT NULL,
	unit_id		INTEGER NOT NULL,
	question	TEXT NOT NULL,
	value		TEXT NOT NULL,
	n		INTEGER NOT NULL,
	PRIMARY KEY (round_id, unit_id, question, value),
	FOREIGN KEY (round_id, unit_id) REFERENCES unit_rounds
) WITHOUT ROWID;

-- ---- Guidance ----------------------------------------------------------
--
-- The agency's own wording of the guidance for an indicator, replacing
-- the one in forms/ita-guidance.json.  Deleting the row restores it.
CREATE TABLE guidance (
	indicator	TEXT PRIMARY KEY,	-- "1" .. "10"
	th		TEXT NOT NULL,
	en		TEXT NOT NULL,
	updated_at	INTEGER NOT NULL,
	updated_by	TEXT NOT NULL
) WITHOUT ROWID;

-- ---- Measures ----------------------------------------------------------
--
-- What the working group decided to do about a weak indicator or item,
-- published as OIT o42 and reported on as o43.
CREATE TABLE measures (
	id		INTEGER PRIMARY KEY,
	fiscal_year	INTEGER NOT NULL,	-- Buddhist Era, e.g. 2570
	target		TEXT NOT NULL,		-- indicator "3" or item "i9"
	round_id	INTEGER REFERENCES rounds(id), -- results it answers
	what		TEXT NOT NULL,		-- the measure
	how		TEXT NOT NULL DEFAULT '', -- its steps
	who		TEXT NOT NULL,		-- who is responsible
	due		TEXT NOT NULL,		-- YYYY-MM-DD
	status		TEXT NOT NULL DEFAULT 'planned' CHECK (status IN
			('planned', 'doing', 'done', 'dropped')),
	progress	TEXT NOT NULL DEFAULT '', -- what was done so far
	evidence	TEXT NOT NULL DEFAULT '', -- URL or description
	created_at	INTEGER NOT NULL,
	created_by	TEXT NOT NULL,
	updated_at	INTEGER NOT NULL,
	updated_by	TEXT NOT NULL
);
CREATE INDEX measures_year ON measures (fiscal_year, status);
