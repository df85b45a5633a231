// SPDX-License-Identifier: ISC
// Tidying codes and rounds (issue 12): voiding lost or unused access codes
// (a voided code answers a respondent exactly as a used one, and voiding
// never tells whether a code had been used, nor how many codes "all
// unused" were), renaming a round, correcting its population, archiving
// it (gone from the lists, still readable and exportable) and deleting a
// round that never received a response; each through the API and the
// command line, with its audit line and nothing changed on a refusal.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, createRound, closeRound, openRound, issueTokens, addKiosk, getForm, makeAnswers,
	adminLogin, request, get, post, uuid, sql, assertError,
} from '../lib/server.mjs';

let srv, alice, bob;

before(async () => {
	srv = await startServer();
	alice = await adminLogin(srv, 'alice');
	bob = await adminLogin(srv, 'bob', { role: 'viewer' });
});

after(async () => {
	await srv?.stop();
});

const api = (p) => `${srv.url}/api/v1/admin${p}`;
const patch = (id, body, headers = alice.headers) => request(api(`/rounds/${id}`), { method: 'PATCH', body, headers });
const del = (id, headers = alice.headers) => request(api(`/rounds/${id}`), { method: 'DELETE', headers });
const voidCodes = (id, body, headers = alice.headers) => post(api(`/rounds/${id}/tokens/void`), body, headers);
const roundOf = async (id) => (await get(api(`/rounds/${id}`), alice.headers));
const listIds = async (q = '') => {
	const r = await get(api(`/rounds${q}`), alice.headers);
	assert.equal(r.status, 200, r.text);
	return r.json.rounds.map((x) => x.id);
};
const check = (round, token) => post(`${srv.url}/api/v1/rounds/${round}/tokens/check`, { token });

let formDoc = null;
async function submit(round, token) {
	formDoc ??= await getForm(srv, round);
	return post(`${srv.url}/api/v1/rounds/${round}/responses`,
	    { submission_id: uuid(), token, answers: makeAnswers(formDoc) });
}

// Rows of the round in the database: the test's own look.
const row = async (id) => (await sql(srv.db, `SELECT title, population, archived, state, respondents, tokens_used,
    tokens_issued FROM rounds WHERE id = ${Number(id)}`))[0];
const auditAll = () => sql(srv.db, 'SELECT id, username, action, detail, params FROM audit_log ORDER BY id');
const auditSince = async (n) => (await auditAll()).slice(n);
const facts = (l) => JSON.parse(l.params);

// A code as a person might type it from the slip.
const sloppy = (c) => ` ${c.toLowerCase().replaceAll('-', ' ')} `;

describe('routes: session, CSRF, role', () => {
	let id;
	before(async () => {
		id = await createRound(srv, 'ita-2563-iit', { title: 'auth', open: false });
	});
	const calls = () => [
		['PATCH', `/rounds/${id}`, { title: 'x' }],
		['DELETE', `/rounds/${id}`, undefined],
		['POST', `/rounds/${id}/tokens/void`, { all_unused: true }],
	];
	test('401 without a session, 403 csrf without the header, 403 for a viewer; nothing changed', async () => {
		const before = await row(id);
		const n = (await auditAll()).length;
		for (const [method, p, body] of calls()) {
			assertError(assert, await request(api(p), { method, body }), 401, 'unauthorized', `${method} ${p}`);
			assertError(assert, await request(api(p), { method, body, headers: { cookie: alice.headers.cookie } }),
			    403, 'csrf', `${method} ${p} no csrf`);
			assertError(assert, await request(api(p), { method, body, headers: { cookie: alice.headers.cookie,
			    'x-csrf-token': bob.csrf } }), 403, 'csrf', `${method} ${p} another session's csrf`);
			assertError(assert, await request(api(p), { method, body, headers: bob.headers }), 403, 'forbidden',
			    `${method} ${p} viewer`);
		}
		assert.deepEqual(await row(id), before);
		assert.equal((await auditAll()).length, n);
	});
	test('unknown rounds: 404', async () => {
		assertError(assert, await patch(999999, { title: 'x' }), 404, 'not_found');
		assertError(assert, await del(999999), 404, 'not_found');
		assertError(assert, await voidCodes(999999, { all_unused: true }), 404, 'not_found');
		assertError(assert, await voidCodes(999999, { codes: ['AAAA-AAAA-AAAA-AAAA'] }), 404, 'not_found');
	});
});

describe('void listed codes', () => {
	let id, codes, other;
	before(async () => {
		id = await createRound(srv, 'ita-2563-iit', { title: 'void listed', population: 30 });
		codes = await issueTokens(srv, id, 12);
		const o = await createRound(srv, 'ita-2563-iit', { title: 'other round' });
		other = await issueTokens(srv, o, 1);
	});

	test('a voided code answers a respondent exactly as a used one, on submit and on tokens/check', async () => {
		assert.equal((await submit(id, codes[0])).status, 201);
		const usedCheck = await check(id, codes[0]);
		const usedSubmit = await submit(id, codes[0]);
		assertError(assert, usedCheck, 409, 'token_used', 'used, check');
		assertError(assert, usedSubmit, 409, 'token_used', 'used, submit');
		assert.equal((await check(id, codes[1])).status, 200, 'codes[1] is valid before');

		const r = await voidCodes(id, { codes: [sloppy(codes[1])] });
		assert.equal(r.status, 200, r.text);
		const c = await check(id, codes[1]);
		const s = await submit(id, codes[1]);
		assert.equal(c.status, usedCheck.status);
		assert.deepEqual(c.json, usedCheck.json, 'tokens/check: the same answer as a used code');
		assert.equal(s.status, usedSubmit.status);
		assert.deepEqual(s.json, usedSubmit.json, 'responses: the same answer as a used code');
	});

	test('voiding a used code answers exactly as voiding an unused one', async () => {
		assert.equal((await submit(id, codes[2])).status, 201);
		const used = await voidCodes(id, { codes: [codes[2]] });
		const unused = await voidCodes(id, { codes: [codes[3]] });
		const again = await voidCodes(id, { codes: [codes[3]] });
		for (const r of [used, unused, again]) {
			assert.equal(r.status, 200, r.text);
			assert.deepEqual(r.json, { status: 'voided', voided: 1 });
		}
		assert.equal(used.text, unused.text);
		assert.equal(unused.text, again.text);
		const mixed = await voidCodes(id, { codes: [codes[0], codes[4]] });
		assert.deepEqual(mixed.json, { status: 'voided', voided: 2 }, 'a used and an unused code both count');
		assertError(assert, await check(id, codes[4]), 409, 'token_used');
	});

	test('responses stay counted; tokens_used and respondents do not move', async () => {
		const r = await row(id);
		assert.equal(r.respondents, 2);
		assert.equal(r.tokens_used, 2);
		assert.equal(r.tokens_issued, 12);
		const [{ n }] = await sql(srv.db, `SELECT count(*) AS n FROM responses WHERE round_id = ${id}`);
		assert.equal(n, 2);
	});

	test('the same code twice, in two spellings, counts once', async () => {
		const r = await voidCodes(id, { codes: [codes[5], sloppy(codes[5]), codes[5].replaceAll('-', '')] });
		assert.deepEqual(r.json, { status: 'voided', voided: 1 });
	});

	test('codes not of this round: 422 unknown_codes listing them, nothing voided, no audit line', async () => {
		const n = (await auditAll()).length;
		const list = [codes[6], 'not a code', other[0], 'ZZZZ-ZZZZ-ZZZZ-ZZZZ', '', 'x'.repeat(200), codes[7]];
		const r = await voidCodes(id, { codes: list });
		assert.equal(r.status, 422, r.text);
		assert.equal(r.json.error.code, 'unknown_codes');
		assert.equal(typeof r.json.error.message, 'string');
		assert.deepEqual(r.json.error.unknown, ['not a code', other[0], 'ZZZZ-ZZZZ-ZZZZ-ZZZZ', '', 'x'.repeat(200)]);
		for (const c of [codes[6], codes[7]])
			assert.equal((await check(id, c)).status, 200, 'still usable');
		assert.equal((await auditAll()).length, n);
		const [{ used }] = await sql(srv.db, `SELECT sum(used) AS used FROM tokens WHERE round_id = ${id}`);
		assert.equal(used, 6, 'codes 0-5 only: two answered, four voided');
	});

	test('bad bodies: 400 or 422, nothing changed', async () => {
		const before = await sql(srv.db, `SELECT hex(hash) AS h, used FROM tokens WHERE round_id = ${id} ORDER BY h`);
		const n = (await auditAll()).length;
		const cases = [
			[{}, 400, 'bad_request'],
			[{ codes: 'ABCD' }, 400, 'bad_request'],
			[{ codes: [1] }, 400, 'bad_request'],
			[{ codes: [codes[8], null] }, 400, 'bad_request'],
			[{ codes: [codes[8]], all_unused: true }, 400, 'bad_request'],
			[{ codes: [codes[8]], extra: 1 }, 400, 'bad_request'],
			[{ all_unused: false }, 400, 'bad_request'],
			[{ all_unused: 'yes' }, 400, 'bad_request'],
			[{ codes: [] }, 422, 'bad_count'],
			[{ codes: Array(501).fill(codes[8]) }, 422, 'bad_count'],
		];
		for (const [body, status, code] of cases)
			assertError(assert, await voidCodes(id, body), status, code, JSON.stringify(body).slice(0, 80));
		assertError(assert, await voidCodes(id, '{"codes": [', { ...alice.headers }), 400, 'bad_json');
		assertError(assert, await voidCodes(id, '[]', { ...alice.headers }), 400, 'bad_request');
		assert.deepEqual(await sql(srv.db, `SELECT hex(hash) AS h, used FROM tokens WHERE round_id = ${id} ORDER BY h`),
		    before);
		assert.equal((await auditAll()).length, n);
	});

	test('500 codes are fine', async () => {
		const r = await voidCodes(id, { codes: Array(500).fill(codes[8]) });
		assert.deepEqual(r.json, { status: 'voided', voided: 1 });
	});

	test('only internal rounds have codes: 422 not_internal', async () => {
		const eit = await createRound(srv, 'ita-2563-eit', { title: 'eit void' });
		assertError(assert, await voidCodes(eit, { codes: [codes[9]] }), 422, 'not_internal');
		assertError(assert, await voidCodes(eit, { all_unused: true }), 422, 'not_internal');
	});

	test('audit lines: tokens.void with the round, its title and the count listed', async () => {
		const lines = (await auditAll()).filter((l) => l.action === 'tokens.void' && facts(l).round === id);
		assert.ok(lines.length >= 5);
		for (const l of lines) {
			assert.equal(l.username, 'alice');
			assert.deepEqual(Object.keys(facts(l)).sort(), ['count', 'round', 'title']);
			assert.equal(facts(l).title, 'void listed');
		}
		assert.deepEqual(lines.map((l) => facts(l).count).slice(0, 5), [1, 1, 1, 1, 2]);
		assert.match(lines[4].detail, /^voided 2 access codes of round \d+ "void listed"$/);
		// Never a code in the log.
		const all = JSON.stringify(await auditAll());
		for (const c of codes)
			assert.ok(!all.includes(c) && !all.includes(c.replaceAll('-', '')), 'no code in the audit log');
	});
});

describe('void all unused codes', () => {
	let id, codes;
	before(async () => {
		id = await createRound(srv, 'ita-2563-iit', { title: 'void all', population: 40 });
		codes = await issueTokens(srv, id, 9);
		for (const c of codes.slice(0, 3))
			assert.equal((await submit(id, c)).status, 201);
	});

	test('answers {"status": "voided"} without a count; every unused code is then refused as used', async () => {
		const n = (await auditAll()).length;
		const r = await voidCodes(id, { all_unused: true });
		assert.equal(r.status, 200, r.text);
		assert.deepEqual(r.json, { status: 'voided' });
		assert.ok(!/[0-9]/.test(r.text), 'no number at all in the reply');
		const used = await check(id, codes[0]);
		assertError(assert, used, 409, 'token_used');
		for (const c of codes.slice(3)) {
			const ch = await check(id, c);
			assert.deepEqual([ch.status, ch.json], [used.status, used.json], 'tokens/check as a used code');
			assertError(assert, await submit(id, c), 409, 'token_used', 'submit');
		}
		const lines = await auditSince(n);
		assert.equal(lines.length, 1);
		assert.equal(lines[0].action, 'tokens.void_unused');
		assert.deepEqual(facts(lines[0]), { round: id, title: 'void all' }, 'no count in the audit line');
		assert.equal(lines[0].detail, `voided every unused access code of round ${id} "void all"`);
	});

	test('responses already stored stay counted; rounds.tokens_used unchanged', async () => {
		const r = await row(id);
		assert.equal(r.respondents, 3);
		assert.equal(r.tokens_used, 3);
		assert.equal(r.tokens_issued, 9);
		const [{ n }] = await sql(srv.db, `SELECT count(*) AS n FROM responses WHERE round_id = ${id}`);
		assert.equal(n, 3);
		const [{ u }] = await sql(srv.db, `SELECT sum(used) AS u FROM tokens WHERE round_id = ${id}`);
		assert.equal(u, 9);
	});

	test('the same answer with nothing left to void, and new codes still work', async () => {
		const r = await voidCodes(id, { all_unused: true });
		assert.deepEqual([r.status, r.json], [200, { status: 'voided' }]);
		const [fresh] = await issueTokens(srv, id, 1);
		assert.equal((await check(id, fresh)).status, 200, 'a replacement code issued afterwards works');
	});
});

describe('rename and correct the population', () => {
	let id;
	before(async () => {
		id = await createRound(srv, 'ita-2563-iit', { title: 'before', population: 100 });
	});

	test('PATCH title: 200 with the round; audit round.rename with the old title', async () => {
		const n = (await auditAll()).length;
		const r = await patch(id, { title: 'IIT 2569 กองคลัง' });
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.title, 'IIT 2569 กองคลัง');
		assert.equal(r.json.id, id);
		assert.equal(r.json.archived, false);
		assert.equal(r.json.state, 'open', 'an open round may be renamed');
		assert.equal((await roundOf(id)).json.title, 'IIT 2569 กองคลัง');
		const [l] = await auditSince(n);
		assert.equal(l.action, 'round.rename');
		assert.deepEqual(facts(l), { round: id, title: 'IIT 2569 กองคลัง', old: 'before' });
		assert.equal(l.detail, `renamed round ${id} from "before" to "IIT 2569 กองคลัง"`);
	});

	test('PATCH population: the minimum sample follows; audit round.population', async () => {
		const n = (await auditAll()).length;
		const was = (await roundOf(id)).json;
		const r = await patch(id, { population: 2000 });
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.population, 2000);
		assert.ok(r.json.minimum > was.minimum, `minimum ${was.minimum} -> ${r.json.minimum}`);
		const [l] = await auditSince(n);
		assert.equal(l.action, 'round.population');
		assert.deepEqual(facts(l), { round: id, title: 'IIT 2569 กองคลัง', population: 2000, old: 100 });
		const z = await patch(id, { population: 0 });
		assert.equal(z.json.population, 0, '0 = unknown, as at creation');
		assert.equal((await patch(id, { population: 100000000 })).status, 200);
	});

	test('the same value again changes nothing and writes no audit line', async () => {
		const n = (await auditAll()).length;
		const cur = (await roundOf(id)).json;
		const r = await patch(id, { title: cur.title, population: cur.population, archived: false });
		assert.equal(r.status, 200, r.text);
		assert.deepEqual(r.json, cur);
		assert.equal((await auditAll()).length, n);
	});

	test('bad input: 400 or 422 and nothing changed', async () => {
		const before = await row(id);
		const n = (await auditAll()).length;
		const cases = [
			[{}, 400, 'bad_request'],
			[{ title: 5 }, 400, 'bad_request'],
			[{ title: null }, 400, 'bad_request'],
			[{ population: '12' }, 400, 'bad_request'],
			[{ population: 1.5 }, 400, 'bad_request'],
			[{ archived: 'yes' }, 400, 'bad_request'],
			[{ name: 'x' }, 400, 'bad_request'],
			[{ title: '' }, 422, 'bad_title'],
			[{ title: 'x'.repeat(301) }, 422, 'bad_title'],
			[{ title: 'a\nb' }, 422, 'bad_title'],
			[{ population: -1 }, 422, 'bad_population'],
			[{ population: 100000001 }, 422, 'bad_population'],
			[{ title: 'would change', population: -5 }, 422, 'bad_population'],
		];
		for (const [body, status, code] of cases)
			assertError(assert, await patch(id, body), status, code, JSON.stringify(body).slice(0, 80));
		assertError(assert, await patch(id, 'nope'), 400, 'bad_json');
		assert.deepEqual(await row(id), before);
		assert.equal((await auditAll()).length, n);
		assert.equal((await patch(id, { title: 'x'.repeat(300) })).status, 200, '300 bytes is fine');
		assert.equal((await patch(id, { title: 'IIT 2569 กองคลัง' })).status, 200);
	});

	test('a final round may still have its population corrected (only the minimum moves)', async () => {
		const f = await createRound(srv, 'ita-2563-iit', { title: 'final one', population: 10 });
		const cs = await issueTokens(srv, f, 5);
		for (const c of cs)
			assert.equal((await submit(f, c)).status, 201);
		await closeRound(srv, f);
		const ex = await get(api(`/rounds/${f}/export?what=responses&format=json`), alice.headers);
		assert.equal(ex.status, 200, ex.text.slice(0, 200));
		assert.equal((await roundOf(f)).json.final, true);
		const sc = (await get(api(`/rounds/${f}/scores`), alice.headers)).json;
		const r = await patch(f, { population: 50, title: 'final one (corrected)' });
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.final, true);
		assert.equal(r.json.population, 50);
		assert.equal(r.json.respondents, 5);
		const sc2 = (await get(api(`/rounds/${f}/scores`), alice.headers)).json;
		assert.equal(sc2.score, sc.score, 'the score does not move');
		assert.equal(sc2.sample.population, 50);
	});
});

describe('archive and unarchive', () => {
	let id, iit, eit;
	before(async () => {
		id = await createRound(srv, 'ita-2563-iit', { title: 'to archive', population: 20 });
		await issueTokens(srv, id, 2);
	});

	test('an open round cannot be archived: 409 round_open, nothing changed (title in the same request either)', async () => {
		const before = await row(id);
		const n = (await auditAll()).length;
		assertError(assert, await patch(id, { archived: true }), 409, 'round_open');
		assertError(assert, await patch(id, { archived: true, title: 'sneaky' }), 409, 'round_open');
		assert.deepEqual(await row(id), before);
		assert.equal((await auditAll()).length, n);
	});

	test('closed, it is archived: gone from the list, listed with ?archived=1, readable and exportable by id', async () => {
		await closeRound(srv, id);
		const n = (await auditAll()).length;
		const r = await patch(id, { archived: true });
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.archived, true);
		assert.ok(!(await listIds()).includes(id), 'hidden from GET /rounds');
		assert.ok(!(await listIds('?archived=0')).includes(id));
		const all = await get(api('/rounds?archived=1'), alice.headers);
		const mine = all.json.rounds.find((x) => x.id === id);
		assert.ok(mine, 'listed with ?archived=1');
		assert.equal(mine.archived, true);
		assert.ok(all.json.rounds.some((x) => x.archived === false), 'the others too, flagged false');
		assertError(assert, await get(api('/rounds?archived=yes'), alice.headers), 400, 'bad_request');
		const one = await get(api(`/rounds/${id}`), bob.headers);
		assert.equal(one.status, 200);
		assert.equal(one.json.archived, true);
		assert.equal((await get(api(`/rounds/${id}/scores`), bob.headers)).status, 200);
		for (const format of ['csv', 'json', 'xlsx']) {
			const ex = await get(api(`/rounds/${id}/export?what=scores&format=${format}`), bob.headers);
			assert.equal(ex.status, 200, `${format}: ${ex.text.slice(0, 200)}`);
		}
		const [l] = await auditSince(n);
		assert.equal(l.action, 'round.archive');
		assert.deepEqual(facts(l), { round: id, title: 'to archive' });
	});

	test('an archived round is not opened again: 409 round_archived', async () => {
		assertError(assert, await post(api(`/rounds/${id}/open`), undefined, alice.headers), 409, 'round_archived');
		assert.equal((await row(id)).state, 'closed');
		const r = await srv.cli(['round', 'open', String(id)]);
		assert.equal(r.code, 1);
		assert.match(r.stderr, /archive/);
	});

	test('archived rounds are not among the ITA overview\'s choices (the rounds list)', async () => {
		iit = await createRound(srv, 'ita-2563-iit', { title: 'iit test round', open: false });
		eit = await createRound(srv, 'ita-2563-eit', { title: 'eit test round', open: false });
		for (const x of [iit, eit])
			assert.equal((await patch(x, { archived: true })).status, 200);
		const shown = (await get(api('/rounds'), bob.headers)).json.rounds;
		assert.ok(!shown.some((x) => [id, iit, eit].includes(x.id)));
		assert.ok(shown.every((x) => x.archived === false));
	});

	test('unarchive brings it back; audit round.unarchive', async () => {
		const n = (await auditAll()).length;
		const r = await patch(id, { archived: false });
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.archived, false);
		assert.ok((await listIds()).includes(id));
		const [l] = await auditSince(n);
		assert.equal(l.action, 'round.unarchive');
		assert.deepEqual(facts(l), { round: id, title: 'to archive' });
		await openRound(srv, id);
		assert.equal((await row(id)).state, 'open', 'and it opens again');
		await closeRound(srv, id);
	});
});

describe('delete a round that never received a response', () => {
	test('an open round: 409 round_open', async () => {
		const id = await createRound(srv, 'ita-2563-iit', { title: 'open, empty' });
		assertError(assert, await del(id), 409, 'round_open');
		assert.equal((await roundOf(id)).status, 200);
	});

	test('a round once open is refused alike, with one response or none: 409 round_was_opened', async () => {
		const empty = await createRound(srv, 'ita-2563-iit', { title: 'opened, no answer' });
		await closeRound(srv, empty);
		assert.equal((await roundOf(empty)).json.opened, true);
		assertError(assert, await del(empty), 409, 'round_was_opened', 'opened, no response');
		assert.equal((await roundOf(empty)).status, 200);
	});

	test('one response, below min_cell: 409 round_was_opened, nothing deleted', async () => {
		const id = await createRound(srv, 'ita-2563-iit', { title: 'one answer' });
		const [c] = await issueTokens(srv, id, 1);
		assert.equal((await submit(id, c)).status, 201);
		await closeRound(srv, id);
		assert.equal((await roundOf(id)).json.respondents, 0, 'the list shows 0 (steps of min_cell)');
		const n = (await auditAll()).length;
		assertError(assert, await del(id), 409, 'round_was_opened');
		assert.equal((await roundOf(id)).status, 200);
		assert.equal((await sql(srv.db, `SELECT count(*) AS n FROM responses WHERE round_id = ${id}`))[0].n, 1);
		assert.equal((await auditAll()).length, n);
	});

	test('an empty closed round goes with its codes, kiosks and counts; audit round.delete keeps the title', async () => {
		const id = await createRound(srv, 'ita-2563-iit', { title: 'รอบทดสอบ', open: false });
		await issueTokens(srv, id, 3);
		const e = await createRound(srv, 'ita-2563-eit', { title: 'eit test', open: false });
		await addKiosk(srv, e, 'counter 1');
		await patch(e, { archived: true });
		const n = (await auditAll()).length;
		for (const x of [id, e]) {
			const r = await del(x);
			assert.equal(r.status, 200, r.text);
			assert.deepEqual(r.json, { status: 'deleted', round: x });
			assertError(assert, await roundOf(x), 404, 'not_found');
			for (const t of ['rounds', 'tokens', 'kiosks', 'answer_counts', 'published_counts', 'responses']) {
				const col = t === 'rounds' ? 'id' : 'round_id';
				const [{ k }] = await sql(srv.db, `SELECT count(*) AS k FROM ${t} WHERE ${col} = ${x}`);
				assert.equal(k, 0, `${t} of round ${x}`);
			}
			assert.ok(!(await listIds('?archived=1')).includes(x));
		}
		const lines = await auditSince(n);
		assert.deepEqual(lines.map((l) => [l.action, facts(l)]), [
			['round.delete', { round: id, title: 'รอบทดสอบ' }],
			['round.delete', { round: e, title: 'eit test' }],
		]);
		assert.equal(lines[0].detail, `deleted round ${id} "รอบทดสอบ" (it had no responses)`);
		assertError(assert, await del(id), 404, 'not_found', 'twice');
	});

	test('a round with codes all voided but no response may go', async () => {
		const id = await createRound(srv, 'ita-2563-iit', { title: 'voided only', open: false });
		await issueTokens(srv, id, 2);
		assert.equal((await voidCodes(id, { all_unused: true })).status, 200);
		assert.equal((await del(id)).status, 200);
	});
});

describe('command line', () => {
	let id, codes;
	before(async () => {
		id = await createRound(srv, 'ita-2563-iit', { title: 'cli round', population: 12 });
		codes = await issueTokens(srv, id, 6);
		assert.equal((await submit(id, codes[0])).status, 201);
	});

	test('--help of each new subcommand', async () => {
		for (const [args, want] of [
			[['round', 'rename', '--help'], /^usage: ita-survey round rename ID --title TEXT\n/],
			[['round', 'set', '--help'], /^usage: ita-survey round set ID --population N\n/],
			[['round', 'archive', '--help'], /^usage: ita-survey round archive ID/],
			[['round', 'unarchive', '--help'], /^usage: ita-survey round archive ID \| round unarchive ID/],
			[['round', 'delete', '--help'], /^usage: ita-survey round delete ID\n/],
			[['round', 'list', '--help'], /^usage: ita-survey round list \[--json\] \[--all\]/],
			[['tokens', 'void', '--help'], /^usage: ita-survey tokens void --round ID \[--all-unused\]/],
			[['round', '--help'], /round rename ID --title TEXT/],
			[['tokens', '--help'], /tokens void --round ID/],
		]) {
			const r = await srv.cli(args);
			assert.equal(r.code, 0, r.stderr);
			assert.match(r.stdout, want, args.join(' '));
			assert.equal(r.stderr, '');
		}
	});

	test('bad usage exits 2', async () => {
		for (const args of [
			['round', 'rename', String(id)],
			['round', 'rename', '--title', 'x'],
			['round', 'rename', String(id), '--title'],
			['round', 'rename', String(id), '--title', 'x', '--population', '3'],
			['round', 'set', String(id)],
			['round', 'set', String(id), '--population', 'many'],
			['round', 'archive'],
			['round', 'archive', 'abc'],
			['round', 'unarchive', String(id), '--all'],
			['round', 'delete'],
			['round', 'delete', String(id), String(id)],
			['round', 'list', '--archived'],
			['tokens', 'void'],
			['tokens', 'void', '--round', 'abc'],
			['tokens', 'void', '--round', String(id), '--count', '3'],
			['round', 'rename', String(id), '--title', ''],
			['round', 'set', String(id), '--population', '-3'],
		]) {
			const r = await srv.cli(args, { input: '' });
			assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
			assert.match(r.stderr, /usage: ita-survey/, args.join(' '));
		}
		assert.equal((await row(id)).title, 'cli round');
	});

	test('tokens void reads codes from stdin and prints the count of codes of the round listed', async () => {
		const r = await srv.cli(['tokens', 'void', '--round', String(id)],
		    { input: `${codes[0]}\n\n${sloppy(codes[1])}\r\n${codes[1]}\n` });
		assert.equal(r.code, 0, r.stderr);
		assert.equal(r.stdout, '2\n', 'a used and an unused code alike');
		assertError(assert, await check(id, codes[1]), 409, 'token_used');
		const [l] = (await auditAll()).slice(-1);
		assert.equal(l.username, 'cli');
		assert.deepEqual(facts(l), { round: id, title: 'cli round', count: 2 });
	});

	test('tokens void: lines that are not codes of the round are named, nothing voided, exit 1', async () => {
		const r = await srv.cli(['tokens', 'void', '--round', String(id)], { input: `${codes[2]}\nnope\n` });
		assert.equal(r.code, 1);
		assert.equal(r.stdout, '');
		assert.match(r.stderr, /not a code of this round: nope/);
		assert.equal((await check(id, codes[2])).status, 200);
		const empty = await srv.cli(['tokens', 'void', '--round', String(id)], { input: '\n\n' });
		assert.equal(empty.code, 1);
		assert.match(empty.stderr, /Void 1 to/);
	});

	test('tokens void --all-unused prints nothing and leaves no unused code', async () => {
		const r = await srv.cli(['tokens', 'void', '--round', String(id), '--all-unused']);
		assert.equal(r.code, 0, r.stderr);
		assert.equal(r.stdout, '');
		for (const c of codes)
			assertError(assert, await check(id, c), 409, 'token_used');
		assert.equal((await row(id)).tokens_used, 1);
	});

	test('round rename, set, archive, list --all, unarchive, delete', async () => {
		let r = await srv.cli(['round', 'rename', String(id), '--title', 'cli renamed']);
		assert.equal(r.code, 0, r.stderr);
		assert.equal(r.stdout, '');
		r = await srv.cli(['round', 'set', String(id), '--population', '77']);
		assert.equal(r.code, 0, r.stderr);
		assert.deepEqual([(await row(id)).title, (await row(id)).population], ['cli renamed', 77]);
		r = await srv.cli(['round', 'archive', String(id)]);
		assert.equal(r.code, 1, 'open: refused');
		assert.match(r.stderr, /close it first/);
		await closeRound(srv, id);
		r = await srv.cli(['round', 'archive', String(id)]);
		assert.equal(r.code, 0, r.stderr);
		const list = await srv.cli(['round', 'list']);
		assert.ok(!list.stdout.split('\n').some((l) => l.startsWith(`${id}\t`)), 'round list hides it');
		const all = await srv.cli(['round', 'list', '--all']);
		assert.ok(all.stdout.split('\n').includes(`${id}\tita-2563-iit\tarchived\t0\tcli renamed`), all.stdout);
		const json = JSON.parse((await srv.cli(['round', 'list', '--json', '--all'])).stdout);
		assert.equal(json.find((x) => x.id === id).archived, true);
		assert.ok(!JSON.parse((await srv.cli(['round', 'list', '--json'])).stdout).some((x) => x.id === id));
		r = await srv.cli(['round', 'unarchive', String(id)]);
		assert.equal(r.code, 0, r.stderr);
		assert.ok((await srv.cli(['round', 'list'])).stdout.split('\n').some((l) => l.startsWith(`${id}\t`)));
		r = await srv.cli(['round', 'delete', String(id)]);
		assert.equal(r.code, 1, 'it has a response');
		assert.match(r.stderr, /cannot be deleted/);
		const e = await createRound(srv, 'ita-2563-iit', { title: 'cli empty', open: false });
		r = await srv.cli(['round', 'delete', String(e)]);
		assert.equal(r.code, 0, r.stderr);
		assert.equal((await sql(srv.db, `SELECT count(*) AS n FROM rounds WHERE id = ${e}`))[0].n, 0);
		r = await srv.cli(['round', 'delete', String(e)]);
		assert.equal(r.code, 1);
		const actions = (await auditAll()).filter((l) => l.username === 'cli' &&
		    [id, e].includes(facts(l)?.round)).map((l) => l.action);
		for (const a of ['round.rename', 'round.population', 'round.archive', 'round.unarchive', 'round.delete'])
			assert.ok(actions.includes(a), a);
	});
});
