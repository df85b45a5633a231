// SPDX-License-Identifier: ISC
// The claims of README.md "Confidentiality", checked on the data a real
// daemon leaves behind: no code, key, password, session or submission id in
// any database file or in the log; no time in the respondent-side tables;
// codes and answers share no column; and the order in which answers are
// stored, read and exported does not follow the order they arrived in.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
	PASSWORD, startServer, createRound, closeRound, issueTokens, addKiosk, getForm, makeAnswers, adminLogin,
	run, post, uuid,
} from '../lib/server.mjs';

const N = 40;
let srv, round, eit, form, eform, tokens, kioskKey, admin;
const sids = [];
const stored = [];	// answers as the server stores them: compact, keys sorted

// Respondent k's answers: k is written in base 4 into i1a, i1b and i2, and
// the rest follows one of several patterns, so that every row differs.
function answersOf(k) {
	const digits = { i1a: Math.floor(k / 16) % 4, i1b: Math.floor(k / 4) % 4, i2: k % 4 };
	const pattern = k % 5;
	return makeAnswers(form, (q, values, i) => {
		if (q.code in digits)
			return values[digits[q.code]];
		switch (pattern) {
		case 0: return values[0];
		case 1: return values[values.length - 1];
		case 2: return values[i % values.length];
		case 3: return values[(i + k) % values.length];
		default: return values[(k * 7 + i * 3) % values.length];
		}
	});
}
const decode = (a) => (Number(a.i1a) - 1) * 16 + (Number(a.i1b) - 1) * 4 + (Number(a.i2) - 1);

function canonical(a) {
	return JSON.stringify(Object.fromEntries(Object.keys(a).sort().map((k) => [k, a[k]])));
}

// Spearman's rank correlation of positions 0..n-1 with the ranks in seq.
function rho(seq) {
	const n = seq.length;
	const rank = [...seq].sort((a, b) => a - b);
	const r = seq.map((v) => rank.indexOf(v));
	const d2 = r.reduce((s, v, i) => s + (v - i) ** 2, 0);
	return 1 - (6 * d2) / (n * (n * n - 1));
}

// Asserts that seq (submission indexes in some stored or exported order)
// does not follow the submission order, forwards or backwards.
function assertUnordered(seq, what) {
	assert.equal(seq.length, N, `${what}: ${seq.length} rows`);
	assert.deepEqual([...seq].sort((a, b) => a - b), [...Array(N).keys()], `${what}: every response once`);
	const up = [...Array(N).keys()];
	assert.notDeepEqual(seq, up, `${what} is the submission order`);
	assert.notDeepEqual(seq, [...up].reverse(), `${what} is the reversed submission order`);
	const r = rho(seq);
	// For a random order of 40, |rho| has a standard deviation of 0.16:
	// 0.75 is beyond 4.6 of them.
	assert.ok(Math.abs(r) < 0.75, `${what} follows the submission order (Spearman rho ${r.toFixed(3)}): ${seq.join(' ')}`);
}

// Every spelling a secret could be stored or logged in.
function spellings(s) {
	const plain = s.replaceAll('-', '');
	return [...new Set([s, s.toLowerCase(), s.toUpperCase(), plain, plain.toLowerCase(), plain.toUpperCase()])];
}

function secrets() {
	const out = [];
	for (const t of tokens)
		for (const sp of spellings(t))
			out.push([`code ${t}`, Buffer.from(sp)]);
	for (const s of sids) {
		for (const sp of spellings(s))
			out.push([`submission_id ${s}`, Buffer.from(sp)]);
		out.push([`submission_id ${s} as 16 bytes`, Buffer.from(s.replaceAll('-', ''), 'hex')]);
	}
	for (const sp of spellings(kioskKey))
		out.push(['kiosk key', Buffer.from(sp)]);
	for (const sp of [...spellings(admin.cookie), ...spellings(admin.csrf)])
		out.push(['session cookie or CSRF token', Buffer.from(sp)]);
	out.push(['admin password', Buffer.from(PASSWORD)]);
	return out;
}

function dataFiles() {
	return fs.readdirSync(srv.dir).filter((f) => f !== 'secret.key')
	    .map((f) => [f, fs.readFileSync(path.join(srv.dir, f))]);
}

const sql = async (query, { json = true } = {}) => {
	const r = await run('sqlite3', [...(json ? ['-json'] : []), srv.db, query]);
	return { ...r, rows: json && r.code === 0 && r.stdout.trim() ? JSON.parse(r.stdout) : [] };
};

before(async () => {
	srv = await startServer();
	round = await createRound(srv, 'ita-2563-iit', { title: 'confidential round' });
	eit = await createRound(srv, 'ita-2563-eit');
	tokens = await issueTokens(srv, round, N + 5);
	kioskKey = await addKiosk(srv, eit, 'counter');
	admin = await adminLogin(srv, 'alice');
	form = await getForm(srv, round);
	eform = await getForm(srv, eit);
	const spell = [(t) => t, (t) => t.toLowerCase(), (t) => t.replaceAll('-', ''), (t) => t.replaceAll('-', ' ')];
	for (let k = 0; k < N; k++) {
		const sid = k % 2 ? uuid() : uuid().toUpperCase();
		const answers = answersOf(k);
		assert.equal(decode(answers), k);
		const r = await post(`${srv.url}/api/v1/rounds/${round}/responses`,
		    { submission_id: sid, token: spell[k % 4](tokens[k]), answers });
		assert.equal(r.status, 201, `response ${k}: ${r.text}`);
		sids.push(sid);
		stored.push(canonical(answers));
	}
	for (let k = 0; k < 3; k++) {
		const sid = uuid();
		const r = await post(`${srv.url}/api/v1/rounds/${eit}/responses`,
		    { submission_id: sid, answers: makeAnswers(eform) }, { authorization: `Kiosk ${kioskKey}` });
		assert.equal(r.status, 201, r.text);
		sids.push(sid);
	}
	assert.equal(new Set(stored).size, N, 'every response differs');
});

after(async () => {
	await srv?.stop();
});

// First, while the daemon runs and nothing else has opened the database.
test('the -wal file does not reveal the order of submissions', async () => {
	const wal = fs.readFileSync(`${srv.db}-wal`);
	const firstSeen = stored.map((s, k) => [wal.indexOf(Buffer.from(s)), k]).filter(([off]) => off !== -1);
	firstSeen.sort((a, b) => a[0] - b[0]);
	const seq = firstSeen.map(([, k]) => k);
	assert.ok(seq.length < 3 || Math.abs(rho(seq)) < 0.75,
	    `${seq.length} of ${N} responses found in the -wal file; their first appearance follows submission ` +
	    `order with Spearman rho ${rho(seq).toFixed(3)}: ${seq.join(' ')}`);
});

test('no code, key, password, session or submission id in any database file', async () => {
	const files = dataFiles();
	assert.ok(files.some(([f]) => f === 'db'), `files: ${files.map(([f]) => f)}`);
	for (const [f, bytes] of files)
		for (const [what, needle] of secrets())
			assert.equal(bytes.indexOf(needle), -1, `${what} found in ${f}`);
	// The answers themselves are there (so the search above could find text).
	const all = Buffer.concat(files.map(([, b]) => b));
	assert.notEqual(all.indexOf(Buffer.from(stored[0])), -1, 'answers are stored as text');
});

test('the log carries no secret, no address and no request line', async () => {
	const log = Buffer.from(srv.stderr());
	for (const [what, needle] of secrets())
		assert.equal(log.indexOf(needle), -1, `${what} in the log`);
	assert.ok(!srv.stderr().includes('127.0.0.1'), 'an address in the log');
	assert.ok(!srv.stderr().includes('/responses'), 'a request line in the log');
});

test('the responses table has no rowid and no time; codes and answers share only round_id and unit_id', async () => {
	const cols = {};
	for (const t of ['responses', 'submissions', 'tokens']) {
		const r = await sql(`SELECT name, type FROM pragma_table_info('${t}')`);
		assert.equal(r.code, 0, r.stderr);
		cols[t] = r.rows.map((c) => c.name);
		assert.ok(cols[t].length > 0, `${t} has columns`);
		for (const c of cols[t])
			assert.doesNotMatch(c, /(^|_)(at|time|times|timestamp|ts|date|day|when|created|updated|seen|ip|addr|address)(_|$)/i,
			    `${t}.${c} looks like a time or an address`);
	}
	// The unit a code was issued for is all a response carries of it
	// (units.c): what the administrators already know of the code.
	assert.deepEqual(cols.tokens.filter((c) => cols.responses.includes(c)), ['round_id', 'unit_id']);
	assert.deepEqual(cols.submissions.filter((c) => cols.responses.includes(c)), []);
	const rowid = await sql('SELECT rowid FROM responses LIMIT 1');
	assert.notEqual(rowid.code, 0, 'responses has a rowid');
	assert.match(rowid.stderr, /no such column/);
	// No value anywhere in these tables looks like a recent unix time.
	const now = Date.now() / 1000;
	for (const t of ['responses', 'submissions', 'tokens']) {
		const r = await sql(`SELECT * FROM ${t}`);
		for (const row of r.rows)
			for (const [c, v] of Object.entries(row))
				if (typeof v === 'number')
					assert.ok(Math.abs(v - now) > 20 * 365 * 86400 && Math.abs(v / 1000 - now) > 20 * 365 * 86400,
					    `${t}.${c} = ${v} looks like a time`);
	}
	// Response ids: 16 random bytes, all different.
	const ids = await sql(`SELECT hex(id) AS id, length(id) AS len FROM responses WHERE round_id = ${round}`);
	assert.equal(ids.rows.length, N);
	assert.ok(ids.rows.every((r) => r.len === 16));
	assert.equal(new Set(ids.rows.map((r) => r.id)).size, N);
	// Only administrators' actions are audited.
	const audit = await sql('SELECT action FROM audit_log');
	assert.ok(audit.rows.every((r) => !/response|submission|answer/i.test(r.action)), JSON.stringify(audit.rows));
});

test('a plain table scan does not return rows in submission order', async () => {
	const r = await sql(`SELECT answers FROM responses WHERE round_id = ${round}`);
	assert.equal(r.code, 0, r.stderr);
	assertUnordered(r.rows.map((x) => decode(JSON.parse(x.answers))), 'table order');
});

test('the responses export does not follow submission order', async () => {
	await closeRound(srv, round);
	const r = await srv.cli(['export', '--round', String(round), '--what', 'responses', '--format', 'json']);
	assert.equal(r.code, 0, r.stderr);
	const rows = JSON.parse(r.stdout);
	assertUnordered(rows.map(decode), 'JSON export order');
	const csv = await srv.cli(['export', '--round', String(round), '--what', 'responses', '--format', 'csv']);
	assert.equal(csv.code, 0, csv.stderr);
	const lines = csv.stdout.replace(/^\uFEFF/, '').trim().split('\r\n');
	const head = lines[0].split(',');
	const seq = lines.slice(1).map((l) => {
		const v = l.split(',');
		return decode({ i1a: v[head.indexOf('i1a')], i1b: v[head.indexOf('i1b')], i2: v[head.indexOf('i2')] });
	});
	assertUnordered(seq, 'CSV export order');
});

test('after a checkpoint, the main file stores answers in no submission order', async () => {
	await srv.restart();	// a clean stop checkpoints the -wal into the main file
	const db = fs.readFileSync(srv.db);
	const pos = stored.map((s, k) => [db.indexOf(Buffer.from(s)), k]);
	assert.ok(pos.every(([off]) => off !== -1), 'every response is in the main file');
	pos.sort((a, b) => a[0] - b[0]);
	assertUnordered(pos.map(([, k]) => k), 'order in the main file');
	for (const [f, bytes] of dataFiles())
		for (const [what, needle] of secrets())
			assert.equal(bytes.indexOf(needle), -1, `${what} found in ${f} after restart`);
});
