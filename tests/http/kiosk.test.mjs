// SPDX-License-Identifier: ISC
// External (EIT) rounds: kiosks with "Authorization: Kiosk KEY", revoking a
// kiosk, public rounds, the ignored token field, and the public rate limit.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, createRound, addKiosk, getForm, makeAnswers, respondents, adminLogin,
	post, get, request, uuid, assertError,
} from '../lib/server.mjs';

const EIT = 'ita-2563-eit';
const KEY_RE = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){7}$/;

let srv, form, round, round2, pub, key, key2, pubKey;

const submit = (r, body, headers) => post(`${srv.url}/api/v1/rounds/${r}/responses`, body, headers);
const kioskAuth = (k) => ({ authorization: `Kiosk ${k}` });
const body = (extra = {}) => ({ submission_id: uuid(), answers: makeAnswers(form), ...extra });

before(async () => {
	srv = await startServer();
	round = await createRound(srv, EIT, { title: 'EIT counters' });
	round2 = await createRound(srv, EIT, { title: 'another EIT round' });
	pub = await createRound(srv, EIT, { title: 'public EIT', pub: true });
	key = await addKiosk(srv, round, 'ช่อง 1');
	key2 = await addKiosk(srv, round2, 'counter of round 2');
	pubKey = await addKiosk(srv, pub, 'public counter');
	form = await getForm(srv, round);
});

after(async () => {
	await srv?.stop();
});

test('kiosk add prints a key of 32 Crockford characters in groups', () => {
	for (const k of [key, key2, pubKey])
		assert.match(k, KEY_RE);
	assert.equal(new Set([key, key2, pubKey]).size, 3);
});

test('the form document of an external round', async () => {
	assert.equal(form.audience, 'external');
	assert.equal(form.form, EIT);
	assert.equal(form.round, round);
	assert.ok(!JSON.stringify(form).includes('"points"'), 'no points in the form document');
	assert.ok(!JSON.stringify(form).includes('reverse'), 'no reverse flags in the form document');
});

test('a kiosk key answers 201, in any spelling', async () => {
	const n = await respondents(srv, round);
	for (const k of [key, key.toLowerCase(), key.replaceAll('-', '')]) {
		const r = await submit(round, body(), kioskAuth(k));
		assert.equal(r.status, 201, `${k}: ${r.text}`);
		assert.deepEqual(r.json, { status: 'accepted' });
	}
	const r = await submit(round, body(), { authorization: `kiosk ${key}` });
	assert.equal(r.status, 201, `lower-case scheme: ${r.text}`);
	assert.equal(await respondents(srv, round), n + 4);
});

test('GET /api/v1/kiosk names the kiosk and its round', async () => {
	const r = await get(`${srv.url}/api/v1/kiosk`, kioskAuth(key));
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.kiosk.name, 'ช่อง 1');
	assert.equal(typeof r.json.kiosk.id, 'number');
	assert.equal(r.json.round, round);
	assert.ok(!r.text.includes(key), 'the key is not echoed');
	assertError(assert, await get(`${srv.url}/api/v1/kiosk`), 403, 'forbidden', 'no header');
	assertError(assert, await get(`${srv.url}/api/v1/kiosk`, kioskAuth('7QF9-MZD2-XWAP-4HTK-7QF9-MZD2-XWAP-4HTK')),
	    403, 'forbidden', 'unknown key');
	assertError(assert, await get(`${srv.url}/api/v1/kiosk`, { authorization: 'Basic YTpi' }), 403, 'forbidden',
	    'another scheme');
});

test('the key of another round gets 403 and stores nothing', async () => {
	const n = await respondents(srv, round);
	assertError(assert, await submit(round, body(), kioskAuth(key2)), 403, 'forbidden', 'key of round 2');
	assertError(assert, await submit(round, body(), kioskAuth(`${key}X`)), 403, 'forbidden', 'key too long');
	assert.equal(await respondents(srv, round), n);
	const r = await submit(round2, body(), kioskAuth(key2));
	assert.equal(r.status, 201, r.text);
});

test('the token field is ignored on external rounds', async () => {
	for (const token of ['7QF9-MZD2-XWAP-4HTK', 'garbage', 12345, null, { a: 1 }]) {
		const r = await submit(round, body({ token }), kioskAuth(key));
		assert.equal(r.status, 201, `token ${JSON.stringify(token)}: ${r.text}`);
	}
});

test('a kiosk added and revoked through the admin API', async () => {
	const admin = await adminLogin(srv);
	let r = await post(`${srv.url}/api/v1/admin/rounds/${round}/kiosks`, { name: 'tablet 2' }, admin.headers);
	assert.equal(r.status, 201, r.text);
	assert.match(r.json.key, KEY_RE);
	const k = r.json.key;
	const id = r.json.kiosk.id;
	assert.equal(r.json.kiosk.revoked, false);
	r = await submit(round, body(), kioskAuth(k));
	assert.equal(r.status, 201, r.text);

	r = await get(`${srv.url}/api/v1/admin/rounds/${round}/kiosks`, admin.headers);
	assert.equal(r.status, 200, r.text);
	const listed = r.json.kiosks.find((x) => x.id === id);
	assert.equal(listed?.responses, 0, `one response shows as none, in steps of min_cell: ${r.text}`);
	assert.ok(!r.text.includes(k) && !r.text.includes(key), 'kiosk keys are never listed');

	// A PATCH without the CSRF header changes nothing.
	r = await request(`${srv.url}/api/v1/admin/kiosks/${id}`, { method: 'PATCH', body: { revoked: true },
	    headers: { cookie: admin.headers.cookie } });
	assertError(assert, r, 403, 'csrf', 'PATCH without CSRF');
	r = await submit(round, body(), kioskAuth(k));
	assert.equal(r.status, 201, r.text);

	r = await request(`${srv.url}/api/v1/admin/kiosks/${id}`, { method: 'PATCH', body: { revoked: true },
	    headers: admin.headers });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.revoked, true);
	const n = await respondents(srv, round);
	assertError(assert, await submit(round, body(), kioskAuth(k)), 403, 'forbidden', 'revoked kiosk');
	assertError(assert, await get(`${srv.url}/api/v1/kiosk`, kioskAuth(k)), 403, 'forbidden', 'revoked kiosk GET');
	assert.equal(await respondents(srv, round), n);
	// The other kiosk of the round is unaffected.
	assert.equal((await submit(round, body(), kioskAuth(key))).status, 201);

	r = await request(`${srv.url}/api/v1/admin/kiosks/999999`, { method: 'PATCH', body: { revoked: true },
	    headers: admin.headers });
	assertError(assert, r, 404, 'not_found', 'PATCH unknown kiosk');
	r = await request(`${srv.url}/api/v1/admin/kiosks/${id}`, { method: 'PATCH', body: { revoked: 'yes' },
	    headers: admin.headers });
	assertError(assert, r, 400, 'bad_request', 'PATCH revoked not a boolean');
	r = await post(`${srv.url}/api/v1/admin/rounds/${round}/kiosks`, { name: '' }, admin.headers);
	assertError(assert, r, 422, 'bad_name', 'empty kiosk name');
});

test('a public round accepts responses without a key; its own kiosks too', async () => {
	const n = await respondents(srv, pub);
	let r = await submit(pub, body());
	assert.equal(r.status, 201, r.text);
	r = await submit(pub, body({ token: 'ignored' }));
	assert.equal(r.status, 201, r.text);
	r = await submit(pub, body(), kioskAuth(pubKey));
	assert.equal(r.status, 201, r.text);
	assertError(assert, await submit(pub, body(), kioskAuth(key)), 403, 'forbidden',
	    'public round, key of another round');
	assert.equal(await respondents(srv, pub), n + 3);
	const f = await getForm(srv, pub);
	assert.equal(f.public, true);
});

test('a kiosk cannot answer an internal round', async () => {
	const iit = await createRound(srv, 'ita-2563-iit');
	const f = await getForm(srv, iit);
	const r = await submit(iit, { submission_id: uuid(), answers: makeAnswers(f) }, kioskAuth(key));
	assertError(assert, r, 403, 'forbidden', 'kiosk key on an internal round');
	assert.equal(await respondents(srv, iit), 0);
});

test('public round: the 31st response from one address within 10 minutes gets 429', async () => {
	// Its own server, so that the address starts with a clean count.
	const s = await startServer();
	try {
		const p = await createRound(s, EIT, { pub: true });
		const f = await getForm(s, p);
		const u = `${s.url}/api/v1/rounds/${p}/responses`;
		for (let i = 0; i < 30; i++) {
			const r = await post(u, { submission_id: uuid(), answers: makeAnswers(f) });
			assert.equal(r.status, 201, `response ${i + 1}: ${r.text}`);
		}
		const r = await post(u, { submission_id: uuid(), answers: makeAnswers(f) });
		assertError(assert, r, 429, 'rate_limited', '31st public response');
		assert.match(r.headers.get('retry-after') ?? '', /^[1-9][0-9]*$/);
		assert.equal(await respondents(s, p), 30);
		// A kiosk is limited per key, not per address.
		const k = await addKiosk(s, p, 'counter');
		const rk = await post(u, { submission_id: uuid(), answers: makeAnswers(f) }, kioskAuth(k));
		assert.equal(rk.status, 201, rk.text);
	} finally {
		await s.stop();
	}
});
