-- SPDX-License-Identifier: ISC
-- ita-survey schema, version 6: the answer counts of a round (and of each
-- of its units) as one row instead of one row per question and value
-- (issue "Performance").  The writer adds a group of responses to a
-- round's counts with one UPDATE instead of one statement per distinct
-- answer, and publishes the snapshot at a multiple of min_cell by writing
-- one value instead of copying the table.
--
-- running and published are JSON objects {question: {value: n}} holding
-- only the values answered at least once (n > 0), as the old tables held
-- only the rows they had.  The old tables become views of the same names
-- and columns, so every reader (scores, units, comparisons, tests, an
-- administrator's sqlite3) sees what it saw.  Confidentiality is
-- unchanged: these are counts, with no key shared with tokens or
-- submissions.
CREATE TABLE tallies (
	round_id	INTEGER NOT NULL REFERENCES rounds(id),
	unit_id		INTEGER NOT NULL DEFAULT 0, -- 0: the round's own
	running		TEXT NOT NULL DEFAULT '{}',  -- every response so far
	published	TEXT NOT NULL DEFAULT '{}',  -- the snapshot
	PRIMARY KEY (round_id, unit_id)
) WITHOUT ROWID;

INSERT INTO tallies (round_id, unit_id, running)
SELECT round_id, 0, json_group_object(question, json(vals))
FROM (SELECT round_id, question, json_group_object(value, n) AS vals
      FROM answer_counts WHERE n > 0 GROUP BY round_id, question)
GROUP BY round_id;

INSERT INTO tallies (round_id, unit_id, published)
SELECT round_id, 0, json_group_object(question, json(vals))
FROM (SELECT round_id, question, json_group_object(value, n) AS vals
      FROM published_counts WHERE n > 0 GROUP BY round_id, question)
GROUP BY round_id
ON CONFLICT (round_id, unit_id) DO UPDATE SET published = excluded.published;

INSERT INTO tallies (round_id, unit_id, running)
SELECT round_id, unit_id, json_group_object(question, json(vals))
FROM (SELECT round_id, unit_id, question,
             json_group_object(value, n) AS vals
      FROM unit_counts WHERE n > 0 GROUP BY round_id, unit_id, question)
GROUP BY round_id, unit_id;

INSERT INTO tallies (round_id, unit_id, published)
SELECT round_id, unit_id, json_group_object(question, json(vals))
FROM (SELECT round_id, unit_id, question,
             json_group_object(value, n) AS vals
      FROM unit_published WHERE n > 0 GROUP BY round_id, unit_id, question)
GROUP BY round_id, unit_id
ON CONFLICT (round_id, unit_id) DO UPDATE SET published = excluded.published;

DROP TABLE answer_counts;
DROP TABLE published_counts;
DROP TABLE unit_counts;
DROP TABLE unit_published;

CREATE VIEW answer_counts (round_id, question, value, n) AS
SELECT t.round_id, q.key, v.key, v.value
FROM tallies t, json_each(t.running) q, json_each(q.value) v
WHERE t.unit_id = 0;

CREATE VIEW published_counts (round_id, question, value, n) AS
SELECT t.round_id, q.key, v.key, v.value
FROM tallies t, json_each(t.published) q, json_each(q.value) v
WHERE t.unit_id = 0;

CREATE VIEW unit_counts (round_id, unit_id, question, value, n) AS
SELECT t.round_id, t.unit_id, q.key, v.key, v.value
FROM tallies t, json_each(t.running) q, json_each(q.value) v
WHERE t.unit_id <> 0;

CREATE VIEW unit_published (round_id, unit_id, question, value, n) AS
SELECT t.round_id, t.unit_id, q.key, v.key, v.value
FROM tallies t, json_each(t.published) q, json_each(q.value) v
WHERE t.unit_id <> 0;
