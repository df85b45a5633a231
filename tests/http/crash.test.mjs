// SPDX-License-Identifier: ISC
// Durability under load: SIGKILL in the middle of a concurrent submission
// load, at three different moments, then a restart and a replay of every
// submission that was sent; and an online backup taken under load,
// restored into a fresh server.  Each time: every response acknowledged
// with 201 is there exactly once (its replay answers already_accepted),
// nothing is counted twice (respondents = rows of responses = rows of
// submissions = what was sent; answer_counts = the counts recomputed from
// the stored answers), and PRAGMA integrity_check is ok.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
	startServer, createRound, getForm, makeAnswers, respondents, scores, post, run, sql, stepped, uuid, VALGRIND,
} from '../lib/server.mjs';

const EIT = 'ita-2563-eit';
const CLIENTS = 16;
const PER_CLIENT_MAX = 400;	// a bound on every load loop

let srv, round, form;
// Every submission ever sent to the round: submission_id -> body.
const sent = new Map();

before(async () => {
	srv = await startServer({ args: ['--rate-limits', 'off'] });
	round = await createRound(srv, EIT, { pub: true, title: 'crash test' });
	form = await getForm(srv, round);
});

after(async () => {
	await srv?.stop();
});

const url = () => `${srv.url}/api/v1/rounds/${round}/responses`;

// sqlite3 on the database file; -json output parsed.
async function integrityOk(db) {
	const r = await run('sqlite3', [db, 'PRAGMA integrity_check']);
	assert.equal(r.code, 0, r.stderr);
	assert.equal(r.stdout.trim(), 'ok', `integrity_check of ${db}`);
}

function newBody(seed) {
	return { submission_id: uuid(), answers: makeAnswers(form, (q, v, i) => v[(seed + i) % v.length]) };
}

// A load of CLIENTS concurrent loops of POSTs of new submissions.
// onAck(n) runs after each 201 with the number acknowledged so far.
// Returns {sids (sent by this load, growing), acked (Set of sids answered
// 201, growing), stop(), done}; done resolves {sids, acked, other
// (unexpected statuses)} once every loop stopped: when stop() was called,
// or each loop hit PER_CLIENT_MAX, or a request failed.
function load({ onAck = () => {} } = {}) {
	const sids = [], acked = new Set(), other = [];
	let stopped = false;
	const loop = async (c) => {
		for (let i = 0; i < PER_CLIENT_MAX && !stopped; i++) {
			const body = newBody(c * 1000 + i);
			sent.set(body.submission_id, body);
			sids.push(body.submission_id);
			let r;
			try {
				r = await post(url(), body);
			} catch {
				return;	// the server is gone
			}
			if (r.status === 201) {
				acked.add(body.submission_id);
				onAck(acked.size);
			} else
				other.push(`${r.status} ${r.text}`);
		}
	};
	const done = Promise.all([...Array(CLIENTS)].map((_, c) => loop(c)))
	    .then(() => ({ sids, acked, other }));
	return { sids, acked, done, stop: () => { stopped = true; } };
}

// Replay sids (CLIENTS at a time); resolves sid -> status.
async function replay(sids) {
	const status = new Map();
	const queue = [...sids];
	await Promise.all([...Array(CLIENTS)].map(async () => {
		while (queue.length > 0) {
			const sid = queue.pop();
			const r = await post(url(), sent.get(sid));
			status.set(sid, r.status);
			if (r.status === 200)
				assert.deepEqual(r.json, { status: 'already_accepted' }, sid);
			else
				assert.equal(r.status, 201, `replay of ${sid}: ${r.status} ${r.text}`);
		}
	}));
	return status;
}

// Everything stored is consistent: one row of responses and of submissions
// per response counted, answer_counts equal to the stored answers, the
// scores document agreeing.  Resolves the number of responses.
async function assertConsistent(db, id, want) {
	const [{ n }] = await sql(db, `SELECT count(*) AS n FROM responses WHERE round_id = ${id}`);
	const [{ s }] = await sql(db, 'SELECT count(*) AS s FROM submissions');
	const [{ r }] = await sql(db, `SELECT respondents AS r FROM rounds WHERE id = ${id}`);
	assert.equal(n, want, 'rows of responses');
	assert.equal(s, want, 'rows of submissions');
	assert.equal(r, want, 'rounds.respondents');
	const recount = new Map();
	for (const { answers } of await sql(db, `SELECT answers FROM responses WHERE round_id = ${id}`))
		for (const [q, v] of Object.entries(JSON.parse(answers)))
			recount.set(`${q}=${v}`, (recount.get(`${q}=${v}`) ?? 0) + 1);
	const counts = new Map((await sql(db, `SELECT question, value, n FROM answer_counts WHERE round_id = ${id}`))
	    .filter((x) => x.n !== 0).map((x) => [`${x.question}=${x.value}`, x.n]));
	assert.deepEqual(Object.fromEntries([...counts].sort()), Object.fromEntries([...recount].sort()),
	    'answer_counts = the counts of the stored answers');
	await integrityOk(db);
}

describe('kill -9 in the middle of a concurrent load', { skip: VALGRIND && 'too slow under valgrind' }, () => {
	// Kill after this many 201s of each load: early, mid-way, later.
	for (const [k, target] of [37, 300, 151].entries()) {
		test(`kill ${k + 1}: SIGKILL after ${target} acknowledged, restart, replay everything`, async (t) => {
			const before = sent.size;
			let kill = null;
			const l = load({ onAck: (n) => {
				if (n >= target && kill === null) {
					l.stop();
					kill = srv.kill9();
				}
			} });
			const { sids, acked, other } = await l.done;
			assert.ok(kill !== null, `the load ended after ${acked.size} 201s, before the kill`);
			await kill;
			assert.deepEqual(other, [], 'every answer before the kill was 201');
			assert.ok(acked.size >= target);
			await srv.restart();

			// Nothing acknowledged was lost; nothing unsent appeared.
			const stored = await respondents(srv, round);
			assert.ok(stored - before >= acked.size, `${stored - before} stored < ${acked.size} acknowledged`);
			assert.ok(stored - before <= sids.length, `${stored - before} stored > ${sids.length} sent`);

			// Replay every submission sent, acknowledged or not.
			const status = await replay(sids);
			for (const sid of acked)
				assert.equal(status.get(sid), 200, `acknowledged ${sid} replayed: ${status.get(sid)}`);
			const lateAcks = [...status.values()].filter((s) => s === 201).length;
			// Those stored but not acknowledged before the kill answer 200 too.
			assert.equal(stored - before + lateAcks, sids.length);
			t.diagnostic(`sent ${sids.length}, acknowledged ${acked.size}, stored at restart ` +
			    `${stored - before}, stored by the replay ${lateAcks}`);
			assert.equal(sent.size, before + sids.length);
			assert.equal(await respondents(srv, round), sent.size, 'respondents = distinct submissions sent');
			const doc = await scores(srv, round);
			assert.equal(doc.respondents, stepped(sent.size, doc.min_cell));
			await assertConsistent(srv.db, round, sent.size);
		});
	}

	test('after the kills, every submission ever sent answers already_accepted', async () => {
		const status = await replay([...sent.keys()]);
		assert.ok([...status.values()].every((s) => s === 200));
		assert.equal(await respondents(srv, round), sent.size);
		await assertConsistent(srv.db, round, sent.size);
	});
});

describe('backup under load, then restore', () => {
	let restored;
	after(async () => {
		await restored?.stop();
	});

	test('a backup taken under load, restored, holds every response acknowledged before it began', async (t) => {
		const out = path.join(srv.dir, 'backup.db');
		let ackedBefore = null, ackedAfter = null, backup = null;
		const l = load({ onAck: (n) => {
			if (n >= 100 && backup === null) {
				ackedBefore = new Set(l.acked);
				backup = srv.cli(['backup', '--out', out]);
				// Keep the load going until the copy is done, and a bit.
				backup.then(() => {
					ackedAfter = l.acked.size;
					setTimeout(() => l.stop(), 100);
				});
			}
		} });
		const { acked, other } = await l.done;
		assert.deepEqual(other, [], 'every answer under load was 201');
		assert.ok(backup !== null, 'the backup started');
		const b = await backup;
		assert.equal(b.code, 0, b.stderr);
		assert.ok(fs.existsSync(out), 'the backup file exists');
		assert.ok(!fs.existsSync(`${out}.tmp`), 'no temporary file left');
		assert.ok(acked.size > ackedBefore.size, `the load went on during the backup (${acked.size} 201s)`);
		await integrityOk(out);
		t.diagnostic(`201s: ${ackedBefore.size} before the backup, ${ackedAfter - ackedBefore.size} ` +
		    `while it ran, ${acked.size} in all`);

		// Restore as README.md says: the copy as the database, no -wal or
		// -shm, the same secret; serve it.
		restored = await startServer({ prefix: 'ita-restore-', args: ['--rate-limits', 'off'], init: (dir) => {
			fs.copyFileSync(out, path.join(dir, 'db'));
			fs.copyFileSync(path.join(srv.dir, 'secret.key'), path.join(dir, 'secret.key'));
		} });
		const n = await respondents(restored, round);
		assert.ok(n >= ackedBefore.size, `${n} restored < ${ackedBefore.size} acknowledged before the backup`);
		assert.ok(n <= sent.size);
		await assertConsistent(restored.db, round, n);
		// Every response acknowledged before the backup began is in the
		// copy: its replay to the restored server changes nothing.
		const u = `${restored.url}/api/v1/rounds/${round}/responses`;
		const queue = [...ackedBefore];
		await Promise.all([...Array(CLIENTS)].map(async () => {
			while (queue.length > 0) {
				const sid = queue.pop();
				const r = await post(u, sent.get(sid));
				assert.equal(r.status, 200, `replay of ${sid} to the restored copy: ${r.status} ${r.text}`);
			}
		}));
		assert.equal(await respondents(restored, round), n, 'the replays stored nothing new');
		// The live server still has everything.
		assert.equal(await respondents(srv, round), sent.size);
	});
});
