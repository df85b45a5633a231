// SPDX-License-Identifier: ISC
// Behind a reverse proxy (--trusted-proxy): only from a trusted peer is the
// client address taken from X-Forwarded-For (the right-most hop that is
// not itself a trusted proxy) or, without it, Forwarded; so wrong-code
// limits fall on the client behind nginx, not on nginx.  From any other
// peer the headers are ignored, and a client cannot pick its own address.
// X-Forwarded-Proto: https from a trusted proxy makes the session cookie
// Secure.  (The package test drives a real nginx in front.)

import { test, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
	BIN, PASSWORD, startServer, createRound, post, run, serveUser, assertError,
} from '../lib/server.mjs';

const IIT = 'ita-2563-iit';

// A wrong code for round from the client named by headers: the status.
async function guess(srv, round, headers) {
	const r = await post(`${srv.url}/api/v1/rounds/${round}/tokens/check`, { token: 'ZZZZ-ZZZZ-ZZZZ-ZZZZ' },
	    headers);
	return r.status;
}

async function guesses(srv, round, headers, n) {
	const got = [];
	for (let i = 0; i < n; i++)
		got.push(await guess(srv, round, headers));
	return got;
}

describe('trusted proxy 127.0.0.1', () => {
	let srv, round;
	after(async () => {
		await srv?.stop();
	});

	test('X-Forwarded-For: limits per client behind the proxy', async () => {
		srv = await startServer({ args: ['--trusted-proxy', '10.9.0.0/16, 127.0.0.1'] });
		round = await createRound(srv, IIT);
		// nginx appends the peer it saw: "client, ..., last proxy".
		const a = { 'X-Forwarded-For': '198.51.100.7, 10.9.1.1' };
		const got = await guesses(srv, round, a, 11);
		assert.deepEqual(got.slice(0, 10), Array(10).fill(403), 'ten wrong codes are told as wrong');
		assert.equal(got[10], 429, 'the eleventh is refused');
		// Another client through the same proxy is not throttled.
		assert.equal(await guess(srv, round, { 'X-Forwarded-For': '198.51.100.8' }), 403);
		// A forged left-most hop does not get the first client out of it.
		assert.equal(await guess(srv, round, { 'X-Forwarded-For': '192.0.2.1, 198.51.100.7' }), 429);
		// The same client named alone is still the same client.
		assert.equal(await guess(srv, round, { 'X-Forwarded-For': '198.51.100.7' }), 429);
		// The proxy itself (no header) is a client of its own.
		assert.equal(await guess(srv, round, {}), 403);
	});

	test('Forwarded (RFC 7239) when there is no X-Forwarded-For', async () => {
		const b = { Forwarded: 'for=192.0.2.60;proto=https, for="[2001:db8:cafe::17]:4711"' };
		const got = await guesses(srv, round, b, 11);
		assert.equal(got[9], 403);
		assert.equal(got[10], 429);
		// The same client written another way is the same client.
		assert.equal(await guess(srv, round, { 'X-Forwarded-For': '2001:db8:cafe:0::17' }), 429);
		assert.equal(await guess(srv, round, { Forwarded: 'for=192.0.2.61' }), 403);
	});

	test('a hop that is not an address stands for nobody new: the proxy answers for it', async () => {
		// "unknown" right of any address: the client is the nearest
		// trusted hop, here the peer 127.0.0.1 (which has 1 guess so far).
		const got = await guesses(srv, round, { 'X-Forwarded-For': '203.0.113.9, unknown' }, 9);
		assert.deepEqual(got, [...Array(9).fill(403)]);
		assert.equal(await guess(srv, round, {}), 429, 'counted against the proxy itself');
	});

	test('X-Forwarded-Proto: https makes the session cookie Secure', async () => {
		const add = await srv.cli(['admin', 'add', 'alice'], { input: `${PASSWORD}\n` });
		assert.equal(add.code, 0, add.stderr);
		const login = (headers) => post(`${srv.url}/api/v1/admin/login`, { username: 'alice', password: PASSWORD },
		    headers);
		let r = await login({ 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '198.51.100.20' });
		assert.equal(r.status, 200, r.text);
		assert.match(r.headers.getSetCookie().find((c) => c.startsWith('ita_session=')), /;\s*Secure/i);
		r = await login({ 'X-Forwarded-Proto': 'http', 'X-Forwarded-For': '198.51.100.20' });
		assert.equal(r.status, 200, r.text);
		assert.doesNotMatch(r.headers.getSetCookie().find((c) => c.startsWith('ita_session=')), /;\s*Secure/i);
	});
});

test('without --trusted-proxy the headers are ignored: one address, one limit', async () => {
	const srv = await startServer();
	try {
		const round = await createRound(srv, IIT);
		const got = [];
		for (let i = 0; i < 11; i++)
			got.push(await guess(srv, round, { 'X-Forwarded-For': `198.51.100.${i}`, Forwarded: `for=192.0.2.${i}` }));
		assert.deepEqual(got.slice(0, 10), Array(10).fill(403));
		assert.equal(got[10], 429, 'each forged address was the same client');
		const add = await srv.cli(['admin', 'add', 'alice'], { input: `${PASSWORD}\n` });
		assert.equal(add.code, 0, add.stderr);
		const r = await post(`${srv.url}/api/v1/admin/login`, { username: 'alice', password: PASSWORD },
		    { 'X-Forwarded-Proto': 'https' });
		assert.doesNotMatch(r.headers.getSetCookie().find((c) => c.startsWith('ita_session=')), /;\s*Secure/i);
	} finally {
		await srv.stop();
	}
});

test('a peer outside the trusted networks cannot name its client', async () => {
	const srv = await startServer({ args: ['--trusted-proxy', '10.0.0.0/8,2001:db8::/32'] });
	try {
		const round = await createRound(srv, IIT);
		const got = [];
		for (let i = 0; i < 11; i++)
			got.push(await guess(srv, round, { 'X-Forwarded-For': `198.51.100.${i}` }));
		assert.equal(got[10], 429);
	} finally {
		await srv.stop();
	}
});

test('a bad --trusted-proxy is refused at start with the part it could not read', async () => {
	for (const bad of ['127.0.0.1/33', 'proxy.example', '10.0.0.0/8,,::1/129', '', '1.2.3.4/-1']) {
		const r = await run(BIN, ['serve', '--listen', '127.0.0.1:0', '--db', '/nonexistent/db',
		    ...serveUser(['--trusted-proxy', bad])], { timeout: 20000 });
		assert.notEqual(r.code, 0, `${JSON.stringify(bad)}: ${r.stderr}`);
		assert.equal(r.stdout, '');
		assert.match(r.stderr, /--trusted-proxy/, bad);
	}
});
