// SPDX-License-Identifier: ISC
// One home per admin rule: each rule below is run through the command line
// and through the HTTP API against the same database, and both must decide
// alike: the same refusal with the same message (the error table's), the
// same audit line, nothing changed by a refusal.  If a rule is changed in
// its module (rounds.c, codes.c, kiosks.c, export.c, accounts.c), both
// interfaces change with it, and these tests say so.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, createRound, adminLogin, get, post, assertError,
} from '../lib/server.mjs';

let srv, alice, eit, iit;

const api = (p) => `${srv.url}/api/v1/admin${p}`;

// The message part of "ita-survey: CONTEXT: MESSAGE" on the CLI's stderr.
function cliMessage(stderr) {
	const line = stderr.split('\n')[0];
	const m = /^ita-survey: .*?: (.+)$/.exec(line);
	assert.ok(m, `an "ita-survey: CONTEXT: MESSAGE" line: ${JSON.stringify(stderr)}`);
	return m[1];
}

async function audit() {
	const r = await get(api('/audit'), alice.headers);
	assert.equal(r.status, 200, r.text);
	return r.json.audit;
}

// The newest audit line of action by user, or undefined.
const lineOf = (lines, user, action) => lines.find((l) => l.user === user && l.action === action);

before(async () => {
	srv = await startServer();
	alice = await adminLogin(srv);
	eit = await createRound(srv, 'ita-2563-eit', { title: 'EIT rules', open: false });
	iit = await createRound(srv, 'ita-2563-iit', { title: 'IIT rules', open: false });
});

after(async () => {
	await srv?.stop();
});

test('a kiosk name with DEL (0x7f) is refused by both, with one message, and nothing is added', async () => {
	const name = 'Counter\x7f1';
	const c = await srv.cli(['kiosk', 'add', '--round', String(eit), '--name', name]);
	assert.equal(c.code, 2, c.stderr);
	assert.equal(c.stdout, '');
	const r = await post(api(`/rounds/${eit}/kiosks`), { name }, alice.headers);
	assertError(assert, r, 422, 'bad_name');
	assert.equal(cliMessage(c.stderr), r.json.error.message);
	assert.match(r.json.error.message, /\b100\b/, 'the message names the limit');
	const k = await get(api(`/rounds/${eit}/kiosks`), alice.headers);
	assert.deepEqual(k.json.kiosks, []);
});

test('a title over the limit is refused by both, with one message naming the limit', async () => {
	const title = 'ก'.repeat(101);	// 303 bytes of UTF-8
	const c = await srv.cli(['round', 'create', '--form', 'ita-2563-iit', '--title', title]);
	assert.equal(c.code, 2, c.stderr);
	const r = await post(api('/rounds'), { form: 'ita-2563-iit', title }, alice.headers);
	assertError(assert, r, 422, 'bad_title');
	assert.equal(cliMessage(c.stderr), r.json.error.message);
	assert.match(r.json.error.message, /\b300\b/);
	const list = await get(api('/rounds'), alice.headers);
	assert.ok(list.json.rounds.every((x) => x.title !== title), 'no round was created');
});

test('titles and names with control characters are refused by both: no forged lines', async () => {
	for (const title of ['IIT 2569\n7\tita-2563-iit\topen\t999\tforged', 'tab\there', 'esc \x1b[2J',
	    'c1 \u0085 next line']) {
		const c = await srv.cli(['round', 'create', '--form', 'ita-2563-iit', '--title', title]);
		assert.equal(c.code, 2, `${JSON.stringify(title)}: ${c.stderr}`);
		const r = await post(api('/rounds'), { form: 'ita-2563-iit', title }, alice.headers);
		assertError(assert, r, 422, 'bad_title', JSON.stringify(title));
		assert.equal(cliMessage(c.stderr), r.json.error.message);
		assert.match(r.json.error.message, /control characters/);
	}
	const k = await post(api(`/rounds/${eit}/kiosks`), { name: 'Counter\n2' }, alice.headers);
	assertError(assert, k, 422, 'bad_name');
	const list = await srv.cli(['round', 'list']);
	assert.ok(!/forged/.test(list.stdout), list.stdout);
	assert.ok(list.stdout.split('\n').filter(Boolean).every((l) => l.split('\t').length === 5), list.stdout);
});

test('an unknown form and --public on an internal form: the same refusals', async () => {
	let c = await srv.cli(['round', 'create', '--form', 'nope', '--title', 'x']);
	assert.equal(c.code, 1, c.stderr);
	let r = await post(api('/rounds'), { form: 'nope', title: 'x' }, alice.headers);
	assertError(assert, r, 422, 'unknown_form');
	assert.equal(cliMessage(c.stderr), r.json.error.message);
	c = await srv.cli(['round', 'create', '--form', 'ita-2563-iit', '--title', 'x', '--public']);
	assert.equal(c.code, 1, c.stderr);
	r = await post(api('/rounds'), { form: 'ita-2563-iit', title: 'x', public: true }, alice.headers);
	assertError(assert, r, 422, 'bad_public');
	assert.equal(cliMessage(c.stderr), r.json.error.message);
});

test('codes for an external round, kiosks for an internal one: the same refusals', async () => {
	let c = await srv.cli(['tokens', 'issue', '--round', String(eit), '--count', '2']);
	assert.equal(c.code, 1, c.stderr);
	assert.equal(c.stdout, '');
	let r = await post(api(`/rounds/${eit}/tokens`), { count: 2 }, alice.headers);
	assertError(assert, r, 422, 'not_internal');
	assert.equal(cliMessage(c.stderr), r.json.error.message);
	c = await srv.cli(['kiosk', 'add', '--round', String(iit), '--name', 'x']);
	assert.equal(c.code, 1, c.stderr);
	r = await post(api(`/rounds/${iit}/kiosks`), { name: 'x' }, alice.headers);
	assertError(assert, r, 422, 'not_external');
	assert.equal(cliMessage(c.stderr), r.json.error.message);
	c = await srv.cli(['round', 'open', '999999']);
	r = await post(api('/rounds/999999/open'), undefined, alice.headers);
	assertError(assert, r, 404, 'not_found');
	assert.equal(cliMessage(c.stderr), r.json.error.message);
});

test('the command line and the console write the same audit lines', async () => {
	// Rounds: created, opened, closed, from each side.
	const viaCli = await createRound(srv, 'ita-2563-iit', { title: 'audited from the shell', open: false });
	let r = await post(api('/rounds'), { form: 'ita-2563-iit', title: 'audited from the console' }, alice.headers);
	assert.equal(r.status, 201, r.text);
	const viaApi = r.json.id;
	assert.equal((await srv.cli(['round', 'open', String(viaCli)])).code, 0);
	assert.equal((await post(api(`/rounds/${viaApi}/open`), undefined, alice.headers)).status, 200);
	assert.equal((await srv.cli(['tokens', 'issue', '--round', String(viaCli), '--count', '3'])).code, 0);
	assert.equal((await post(api(`/rounds/${viaApi}/tokens`), { count: 3 }, alice.headers)).status, 201);
	assert.equal((await srv.cli(['round', 'close', String(viaCli)])).code, 0);
	assert.equal((await post(api(`/rounds/${viaApi}/close`), undefined, alice.headers)).status, 200);
	// Kiosks.
	const k = await srv.cli(['kiosk', 'add', '--round', String(eit), '--name', 'shell counter']);
	assert.equal(k.code, 0, k.stderr);
	r = await post(api(`/rounds/${eit}/kiosks`), { name: 'console counter' }, alice.headers);
	assert.equal(r.status, 201, r.text);
	const kioskId = r.json.kiosk.id;

	const lines = await audit();
	const shape = (l) => JSON.stringify(Object.keys(l.facts).sort()) + l.detail
	    .replace(/\b\d+\b/g, 'N')
	    .replace(/audited from the (shell|console)/, 'TITLE')
	    .replace(/(shell|console) counter/, 'NAME');
	for (const action of ['round.create', 'round.open', 'tokens.issue', 'round.close', 'kiosk.add']) {
		const a = lineOf(lines, 'cli', action), b = lineOf(lines, 'alice', action);
		assert.ok(a && b, `${action} from both sides`);
		assert.equal(shape(a), shape(b), `${action}: "${a.detail}" and "${b.detail}"`);
		assert.equal(shape({ facts: {}, detail: a.text.th }), shape({ facts: {}, detail: b.text.th }), `${action} in Thai`);
	}
	// Each line names the round by number and title, with its counts.
	assert.deepEqual(lineOf(lines, 'cli', 'round.create').facts,
	    { round: viaCli, title: 'audited from the shell', form: 'ita-2563-iit', population: 0 });
	assert.equal(lineOf(lines, 'alice', 'round.create').detail,
	    `created round ${viaApi} "audited from the console" (form ita-2563-iit, population 0)`);
	assert.deepEqual(lineOf(lines, 'alice', 'tokens.issue').facts, { round: viaApi, title: 'audited from the console', count: 3 });
	assert.equal(lineOf(lines, 'alice', 'tokens.issue').detail, `issued 3 access codes for round ${viaApi} "audited from the console"`);
	assert.match(lineOf(lines, 'alice', 'tokens.issue').text.th, new RegExp(`^ออกรหัสเข้าตอบ 3 รหัส ให้รอบ ${viaApi} "audited from the console"$`));
	assert.deepEqual(lineOf(lines, 'alice', 'kiosk.add').facts,
	    { kiosk: kioskId, name: 'console counter', round: eit, title: lineOf(lines, 'alice', 'kiosk.add').facts.title });
	assert.match(lineOf(lines, 'alice', 'kiosk.add').detail, new RegExp(`^registered kiosk ${kioskId} "console counter" for round ${eit} "`));
});

test('an export is audited the same way from both sides, and a refused one is not', async () => {
	const c = await srv.cli(['export', '--round', String(iit), '--what', 'scores', '--format', 'csv']);
	assert.equal(c.code, 0, c.stderr);
	assert.ok(c.stdout.startsWith('\ufefflevel,'), 'the CSV reaches standard output');
	const r = await get(api(`/rounds/${iit}/export?what=scores&format=csv`), alice.headers);
	assert.equal(r.status, 200, r.text);
	let lines = await audit();
	for (const who of ['cli', 'alice']) {
		const l = lineOf(lines, who, 'export');
		assert.equal(l.facts.round, iit);
		assert.equal(l.facts.what, 'scores');
		assert.equal(l.facts.format, 'csv');
		assert.match(l.detail, new RegExp(`^exported the scores of round ${iit} ".*" as csv$`));
		assert.match(l.text.th, /^ส่งออกคะแนนของรอบ/);
	}
	const before = lines.length;
	// Responses of a round below min_cell: refused alike, nothing audited.
	const c2 = await srv.cli(['export', '--round', String(iit), '--what', 'responses', '--format', 'csv']);
	assert.equal(c2.code, 1, c2.stderr);
	assert.equal(c2.stdout, '', 'nothing leaves');
	const r2 = await get(api(`/rounds/${iit}/export?what=responses&format=csv`), alice.headers);
	assertError(assert, r2, 409, 'not_exportable');
	assert.equal(cliMessage(c2.stderr), r2.json.error.message);
	lines = await audit();
	assert.equal(lines.length, before, 'a refused export leaves no audit line');
});

test('the code count bound: the CLI takes up to CODES_MAX, one request up to CODES_PER_REQUEST', async () => {
	const c = await srv.cli(['tokens', 'issue', '--round', String(iit), '--count', '1000001']);
	assert.equal(c.code, 2, c.stderr);
	assert.match(cliMessage(c.stderr), /\b1000000\b/);
	const r = await post(api(`/rounds/${iit}/tokens`), { count: 5001 }, alice.headers);
	assertError(assert, r, 422, 'bad_count');
	assert.match(r.json.error.message, /\b5000\b/);
});
