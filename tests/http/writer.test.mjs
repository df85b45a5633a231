// The write path of issue 15: a public submission whose round the form
// cache holds asks the database nothing on its request thread, and the
// writer decides replay, closed, not public and the address's limit in
// API.md's order; a refused submission's hash is taken back, so its
// retry is not a replay; counts are one tallies row whose views read as
// the old tables did, exact and with the snapshot at each multiple of
// min_cell; --wal-max bounds the log and /metrics counts its bytes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
	startServer, createRound, closeRound, addKiosk, getForm, makeAnswers, post, get, sql, uuid,
	assertError, questions, VALGRIND,
} from '../lib/server.mjs';

const EIT = 'ita-2563-eit';
let srv;

before(async () => {
	// Rate limits on: the public limit (30 an address in 10 minutes).
	srv = await startServer({ args: ['--metrics-listen', '127.0.0.1:0', '--wal-max', '8'] });
});
after(() => srv?.stop());

const submit = (round, body, headers) => post(`${srv.url}/api/v1/rounds/${round}/responses`, body, headers);

// Counts of the given answers, as {question: {value: n}}.
function countsOf(list) {
	const c = {};
	for (const a of list)
		for (const [q, v] of Object.entries(a)) {
			c[q] ??= {};
			c[q][v] = (c[q][v] ?? 0) + 1;
		}
	return c;
}

async function viewCounts(view, round) {
	const c = {};
	for (const { question, value, n } of await sql(srv.db,
	    `SELECT question, value, n FROM ${view} WHERE round_id = ${round}`)) {
		c[question] ??= {};
		c[question][value] = n;
	}
	return c;
}

test('a public round whose form was fetched: the writer decides, in order, and counts exactly', async () => {
	const round = await createRound(srv, EIT, { pub: true });
	const form = await getForm(srv, round);	// as a respondent's page does
	const sent = [];
	const ids = [];
	// 7 responses: the snapshot holds exactly the first 5 (min_cell).
	for (let i = 0; i < 7; i++) {
		const answers = makeAnswers(form);
		const id = uuid();
		const r = await submit(round, { submission_id: id, answers });
		assert.equal(r.status, 201, r.text);
		assert.deepEqual(r.json, { status: 'accepted' });
		assert.match(r.headers.get('content-type') ?? '', /^application\/json; charset=utf-8$/);
		assert.equal(r.headers.get('cache-control'), 'no-store');
		sent.push(answers);
		ids.push(id);
	}
	// A replay: 200, nothing stored twice.
	const again = await submit(round, { submission_id: ids[3], answers: sent[3] });
	assert.equal(again.status, 200);
	assert.deepEqual(again.json, { status: 'already_accepted' });
	const [{ n }] = await sql(srv.db, `SELECT respondents AS n FROM rounds WHERE id = ${round}`);
	assert.equal(n, 7, 'exact respondents');
	assert.deepEqual(await viewCounts('answer_counts', round), countsOf(sent), 'running counts = the answers');
	assert.deepEqual(await viewCounts('published_counts', round), countsOf(sent.slice(0, 5)),
	    'the snapshot = exactly the first 5');
	const [{ scored }] = await sql(srv.db, `SELECT scored FROM rounds WHERE id = ${round}`);
	assert.equal(scored, 5);
	// The storage: one tallies row for the round, JSON of counts > 0.
	const rows = await sql(srv.db, `SELECT unit_id, running, published FROM tallies WHERE round_id = ${round}`);
	assert.equal(rows.length, 1);
	assert.deepEqual(JSON.parse(rows[0].running), countsOf(sent));

	// Closed by the shell while the form is still kept: 410 from the
	// writer; a replay of an accepted response is still 200.
	await closeRound(srv, round);
	assertError(assert, await submit(round, { submission_id: uuid(), answers: makeAnswers(form) }), 410,
	    'round_closed');
	assert.equal((await submit(round, { submission_id: ids[0], answers: sent[0] })).status, 200);
	const [{ m }] = await sql(srv.db, `SELECT respondents AS m FROM rounds WHERE id = ${round}`);
	assert.equal(m, 7, 'nothing stored after the close');
});

test('not public: 403 from the writer, and the refused submission can be sent again with a kiosk', async () => {
	const round = await createRound(srv, EIT);
	const form = await getForm(srv, round);
	const body = { submission_id: uuid(), answers: makeAnswers(form) };
	assertError(assert, await submit(round, body), 403, 'forbidden');
	// The hash was taken back: the same submission from a kiosk is new.
	const key = await addKiosk(srv, round, 'K1');
	const r = await submit(round, body, { Authorization: `Kiosk ${key}` });
	assert.equal(r.status, 201, r.text);
	const [{ n }] = await sql(srv.db, `SELECT count(*) AS n FROM submissions`);
	assert.ok(n >= 1);
});

test('invalid answers still get 422 with fields when the round is kept', async () => {
	const round = await createRound(srv, EIT, { pub: true });
	const form = await getForm(srv, round);
	const answers = makeAnswers(form);
	const q = questions(form)[0];
	answers[q.code] = 'nope';
	const r = await submit(round, { submission_id: uuid(), answers });
	assertError(assert, r, 422, 'invalid_answers');
	assert.ok(r.json.fields[q.code]);
});

test('the address limit: 429 with Retry-After once over it, a replay still 200, the limited one not kept', async () => {
	const round = await createRound(srv, EIT, { pub: true });
	const form = await getForm(srv, round);
	const first = { submission_id: uuid(), answers: makeAnswers(form) };
	assert.equal((await submit(round, first)).status, 201);
	let limited = null;
	let stored = 1;
	for (let i = 0; i < 40 && limited === null; i++) {
		const body = { submission_id: uuid(), answers: makeAnswers(form) };
		const r = await submit(round, body);
		if (r.status === 429) {
			assertError(assert, r, 429, 'rate_limited');
			assert.ok(Number(r.headers.get('retry-after')) > 0, 'Retry-After');
			limited = body;
		} else {
			assert.equal(r.status, 201, r.text);
			stored++;
		}
	}
	assert.ok(limited, 'the limit was reached');
	// Replay first, as API.md orders it.
	assert.equal((await submit(round, first)).status, 200);
	// The limited submission was not recorded: no row has its hash,
	// so a later retry would be stored (the count says so here).
	const [{ n }] = await sql(srv.db, `SELECT respondents AS n FROM rounds WHERE id = ${round}`);
	const [{ s }] = await sql(srv.db, `SELECT count(*) AS s FROM responses WHERE round_id = ${round}`);
	assert.equal(n, s);
	assert.equal(n, stored, 'the limited one was not stored');
	// This file's public 201s before: 7 (first test); the limit is 30.
	assert.equal(stored, 30 - 7, 'the limit is 30 responses an address');
});

test('/metrics counts the log bytes the writer appended; a bad --wal-max is refused', async () => {
	const m = /metrics on (http:\/\/127\.0\.0\.1:[0-9]+\/metrics)/.exec(srv.stderr());
	assert.ok(m);
	const text = (await get(m[1])).text;
	const bytes = Number(/^ita_writer_wal_bytes_total ([0-9]+)$/m.exec(text)?.[1]);
	assert.ok(bytes > 4096, `log bytes counted: ${bytes}`);
	for (const bad of ['0', '3', 'lots', '65537', '-1'])
		await assert.rejects(startServer({ args: ['--wal-max', bad] }), /wal-max/);
});

test('under a steady load the write-ahead log stays under --wal-max', { skip: VALGRIND && 'a load test' }, async () => {
	const s = await startServer({ args: ['--rate-limits', 'off', '--wal-max', '4'] });
	try {
		const round = await createRound(s, EIT, { pub: true });
		const form = await getForm(s, round);
		const wal = `${s.db}-wal`;
		let largest = 0;
		const watch = setInterval(() => {
			try {
				largest = Math.max(largest, fs.statSync(wal).size);
			} catch {
				// not there yet
			}
		}, 5);
		// 2,400 responses, 16 at a time: about 20 MB of log pages,
		// five times the bound, in a few seconds.
		const N = 2400;
		let next = 0;
		const worker = async () => {
			while (next < N) {
				next++;
				const r = await post(`${s.url}/api/v1/rounds/${round}/responses`,
				    { submission_id: uuid(), answers: makeAnswers(form) });
				assert.equal(r.status, 201, r.text);
			}
		};
		await Promise.all(Array.from({ length: 16 }, worker));
		clearInterval(watch);
		const [{ n }] = await sql(s.db, `SELECT count(*) AS n FROM responses WHERE round_id = ${round}`);
		assert.equal(n, N);
		// The bound plus one group (16 responses: about 130 KB).
		assert.ok(largest > 0 && largest <= 4.5 * 1024 * 1024, `largest log ${largest} bytes`);
	} finally {
		await s.stop();
	}
});
