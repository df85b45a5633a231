// SPDX-License-Identifier: ISC
// HTTP-level checks of the two routes the admin console added:
// POST /api/v1/admin/qr (QR codes as SVG) and GET /api/v1/admin/ita (the
// overall ITA estimate).  No browser: plain fetch with a session cookie.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openRound, issueTokens, addKiosk } from './lib/server.mjs';
import { addAdmin, apiLogin, apiCall, submitAnswers } from './lib/admin.mjs';

let srv;
let admin;
let viewer;

before(async () => {
	srv = await startServer();
	await addAdmin(srv, 'alice');
	await addAdmin(srv, 'victor', { role: 'viewer' });
	admin = await apiLogin(srv.url, 'alice');
	viewer = await apiLogin(srv.url, 'victor');
});

after(async () => {
	await srv?.stop();
});

test('POST /api/v1/admin/qr', async () => {
	const qr = (sess, body) => apiCall(srv.url, sess, 'POST', '/api/v1/admin/qr', body);
	const texts = ['http://127.0.0.1/respond/?round=1#code=7QF9-MZD2-XWAP-4HTK', 'hello'];

	let r = await qr(null, { texts });
	assert.equal(r.status, 401);
	assert.equal(r.json.error.code, 'unauthorized');
	r = await qr({ cookie: admin.cookie, csrf: 'wrong' }, { texts });
	assert.equal(r.status, 403);
	assert.equal(r.json.error.code, 'csrf');

	r = await qr(admin, { texts });
	assert.equal(r.status, 200);
	assert.equal(r.json.svgs.length, 2);
	for (const svg of r.json.svgs) {
		assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 (\d+) \1" shape-rendering="crispEdges">/);
		assert.equal((svg.match(/<path /g) || []).length, 1, 'one path of dark modules');
		assert.match(svg, /d="M4 4h7v1h-7z/, 'finder pattern inside a quiet zone of 4');
		assert.ok(svg.endsWith('</svg>'));
	}
	// Version 1 (21 modules) for "hello", plus the quiet zone.
	assert.match(r.json.svgs[1], /viewBox="0 0 29 29"/);
	assert.equal(r.headers.get('cache-control'), 'no-store');

	r = await qr(viewer, { texts: ['x'] });
	assert.equal(r.status, 200, 'a viewer may make QR codes');

	assert.equal((await qr(admin, { texts: 'x' })).status, 400);
	assert.equal((await qr(admin, { texts: ['x'], extra: 1 })).status, 400);
	assert.equal((await qr(admin, { texts: [] })).status, 422);
	assert.equal((await qr(admin, { texts: [''] })).status, 422);
	assert.equal((await qr(admin, { texts: [42] })).status, 422);
	assert.equal((await qr(admin, { texts: ['a'.repeat(513)] })).status, 422);
	assert.equal((await qr(admin, { texts: ['a'.repeat(512)] })).status, 200);
	// The JSON parser already refuses a NUL inside a string.
	assert.equal((await qr(admin, { texts: ['a\u0000b'] })).status, 400);
	r = await qr(admin, { texts: Array(501).fill('x') });
	assert.equal(r.status, 422);
	assert.equal(r.json.error.code, 'bad_texts');
	r = await qr(admin, { texts: Array(500).fill('x') });
	assert.equal(r.status, 200);
	assert.equal(r.json.svgs.length, 500);
});

// Half-up rounding of hundredths, as score.c does it.
const weighted = (parts) => {
	const num = parts.reduce((s, p) => s + Math.round(p.score * 100) * p.weight, 0);
	const den = parts.reduce((s, p) => s + p.weight, 0);
	return Math.floor((2 * num + den) / (2 * den)) / 100;
};

test('GET /api/v1/admin/ita', async () => {
	const ita = (sess, q) => apiCall(srv.url, sess, 'GET', `/api/v1/admin/ita?${q}`);
	const iit = await openRound(srv, 'ita-2563-iit', { title: 'IIT' });
	const eit = await openRound(srv, 'ita-2563-eit', { title: 'EIT' });
	const codes = await issueTokens(srv, iit, 5);
	const key = await addKiosk(srv, eit, 'K');

	assert.equal((await ita(null, `iit=${iit}&eit=${eit}&oit=50`)).status, 401);
	// Without a typed-in OIT score the evidence desk's estimate is used:
	// the rounds are then what is missing.
	assert.equal((await ita(admin, `iit=${iit}&eit=${eit}`)).status, 409);
	assert.equal((await ita(admin, `iit=${iit}&oit=50`)).status, 400);
	assert.equal((await ita(admin, `iit=x&eit=${eit}&oit=50`)).status, 400);
	assert.equal((await ita(admin, `iit=999&eit=${eit}&oit=50`)).status, 404);
	let r = await ita(admin, `iit=${eit}&eit=${iit}&oit=50`);
	assert.equal(r.status, 422);
	assert.equal(r.json.error.code, 'wrong_instrument');
	r = await ita(admin, `iit=${iit}&eit=${eit}&oit=50`);
	assert.equal(r.status, 409, 'nothing published yet');
	assert.equal(r.json.error.code, 'not_published');
	assert.match(r.json.error.message, /published from 5/);

	// Four answers are not enough; the fifth publishes.
	const pick = (q, i) => q.options[(i + q.code.length) % q.options.length];
	assert.deepEqual(await submitAnswers(srv.url, iit, { codes: codes.slice(0, 4) }, pick), [201, 201, 201, 201]);
	assert.equal((await ita(admin, `iit=${iit}&eit=${eit}&oit=50`)).status, 409);
	assert.deepEqual(await submitAnswers(srv.url, iit, { codes: codes.slice(4) }, pick), [201]);
	assert.deepEqual(await submitAnswers(srv.url, eit, { kiosk: key, count: 5 }, pick), Array(5).fill(201));

	for (const bad of ['', '-1', '100.01', '101', '69.225', '69.', '.5', 'abc', '1e2'])
		assert.equal((await ita(admin, `iit=${iit}&eit=${eit}&oit=${encodeURIComponent(bad)}`)).status, 422,
		    `OIT ${JSON.stringify(bad)} refused`);

	r = await ita(viewer, `iit=${iit}&eit=${eit}&oit=69.23`);
	assert.equal(r.status, 200, 'a viewer may read it');
	const d = r.json;
	assert.deepEqual(d.indicators.map((p) => p.instrument), ['IIT', 'IIT', 'IIT', 'IIT', 'IIT', 'EIT', 'EIT', 'EIT', 'OIT']);
	assert.deepEqual(d.indicators.map((p) => p.weight), [6, 6, 6, 6, 6, 10, 10, 10, 40]);
	// Typed in: an override, with the estimate (nothing is ready: 0) beside it.
	assert.deepEqual(d.oit, { source: 'override', estimate: 0, score: 69.23, weight: 40 });
	assert.equal(d.score, weighted(d.indicators));
	assert.equal(d.target, 85);
	assert.equal(d.meets_target, d.score >= 85);
	const bands = [['AA', 95], ['A', 85], ['B', 75], ['C', 65], ['D', 55], ['E', 50], ['F', 0]];
	assert.equal(d.grade, bands.find(([, min]) => d.score >= min)[0]);
	const iitDoc = (await apiCall(srv.url, admin, 'GET', `/api/v1/admin/rounds/${iit}/scores`)).json;
	assert.deepEqual(d.indicators.slice(0, 5).map((p) => p.score), iitDoc.indicators.map((p) => p.score));
	assert.equal(d.iit.score, iitDoc.score);

	// No score typed in: the evidence desk's estimate, 0 while nothing is ready.
	r = await ita(viewer, `iit=${iit}&eit=${eit}`);
	assert.equal(r.status, 200);
	assert.deepEqual([r.json.oit.source, r.json.oit.score, r.json.oit.weight], ['estimate', 0, 40]);

	// The edges of the OIT score.
	assert.equal((await ita(admin, `iit=${iit}&eit=${eit}&oit=0`)).status, 200);
	r = await ita(admin, `iit=${iit}&eit=${eit}&oit=100`);
	assert.equal(r.status, 200);
	assert.equal(r.json.oit.score, 100);
});
