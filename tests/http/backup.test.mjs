// SPDX-License-Identifier: ISC
// A backup ends under a load that does not: 8 clients keep posting to a
// 16 MB database while "ita-survey backup" runs, and the backup must
// return while they still post (a copy that starts over at every commit
// of another connection never did), and be a sound, complete database.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
	startServer, createRound, getForm, makeAnswers, post, run, uuid, VALGRIND,
} from '../lib/server.mjs';

const CLIENTS = 8;
const LOAD_MAX_MS = 60000;	// the load stops by then whatever happens
const BALLAST_PAGES = 4000;	// 4 KiB rows: a database of about 16 MB

let srv;
after(async () => {
	await srv?.stop();
});

test('backup under a sustained load returns while the load goes on', { timeout: 120000 }, async (t) => {
	srv = await startServer({ args: ['--rate-limits', 'off'] });
	const b = await run('sqlite3', [srv.db, `CREATE TABLE ballast(b BLOB);
	    INSERT INTO ballast SELECT randomblob(4000) FROM (WITH RECURSIVE c(x) AS
	    (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${BALLAST_PAGES}) SELECT x FROM c);`]);
	assert.equal(b.code, 0, b.stderr);
	const round = await createRound(srv, 'ita-2563-eit', { pub: true, title: 'backup load' });
	const form = await getForm(srv, round);
	const u = `${srv.url}/api/v1/rounds/${round}/responses`;

	let stopped = false, acked = 0;
	const other = [];
	const t0 = Date.now();
	const loops = Promise.all([...Array(CLIENTS)].map(async () => {
		while (!stopped && Date.now() - t0 < LOAD_MAX_MS) {
			const r = await post(u, { submission_id: uuid(), answers: makeAnswers(form) });
			if (r.status === 201)
				acked++;
			else
				other.push(r.status);
		}
	}));
	const loadEnd = loops.then(() => Date.now());

	// Once the load is well under way, back up.
	while (acked < (VALGRIND ? 20 : 100))
		await new Promise((r) => setTimeout(r, 20));
	const out = path.join(srv.dir, 'backup.db');
	const ackedAtStart = acked;
	const started = Date.now();
	const r = await srv.cli(['backup', '--out', out], { timeout: LOAD_MAX_MS * 2 });
	const ended = Date.now();
	const ackedDuring = acked - ackedAtStart;
	stopped = true;
	const end = await loadEnd;
	assert.equal(r.code, 0, r.stderr);
	assert.deepEqual(other, [], 'every answer under load was 201');
	t.diagnostic(`backup took ${ended - started} ms; ${ackedDuring} responses stored meanwhile`);
	assert.ok(ended < end && ended - t0 < LOAD_MAX_MS, 'the backup returned while the load went on');
	assert.ok(ackedDuring > 0, 'the load did go on during the backup');

	const check = await run('sqlite3', [out, 'PRAGMA integrity_check; SELECT count(*) FROM ballast;' +
	    `SELECT count(*) >= ${ackedAtStart} FROM responses WHERE round_id = ${round};`]);
	assert.equal(check.stdout.trim().split('\n').join(' '), `ok ${BALLAST_PAGES} 1`);
});
