// SPDX-License-Identifier: ISC
// Query strings past their bounds get our error at once, not silence: more
// than 32 parameters is 400 too_many_parameters, more than 1024 bytes is
// 414 uri_too_long (libmicrohttpd 0.9.75 used to run out of its connection
// memory parsing a few hundred parameters and never answer).

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, get, assertError } from '../lib/server.mjs';

const QUERY_ARGS_MAX = 32;
const QUERY_MAX = 1024;

let srv;

before(async () => {
	srv = await startServer();
});

after(async () => {
	await srv?.stop();
});

// GET path?query within 2 s, else fail (the old behaviour was a 30 s
// wait for the connection timeout).
async function quick(query, path = '/healthz') {
	const t0 = Date.now();
	const r = await Promise.race([get(`${srv.url}${path}?${query}`),
	    new Promise((resolve) => setTimeout(() => resolve(null), 2000))]);
	assert.ok(r !== null, `no reply within 2 s to a query of ${query.length} bytes`);
	return { ...r, ms: Date.now() - t0 };
}

const params = (n, value = '1') => [...Array(n)].map((_, i) => `p${i}=${value}`).join('&');

describe('query strings', () => {
	test('32 parameters are served', async () => {
		const r = await quick(params(QUERY_ARGS_MAX));
		assert.equal(r.status, 200, r.text);
	});

	test('33 parameters: 400 too_many_parameters', async () => {
		const q = params(QUERY_ARGS_MAX + 1);
		assert.ok(q.length <= QUERY_MAX);
		assertError(assert, await quick(q), 400, 'too_many_parameters');
		assertError(assert, await quick(q, '/api/v1/admin/me'), 400, 'too_many_parameters', 'on an API route');
		// Empty ones count too: "&&&" is four parameters to libmicrohttpd.
		assertError(assert, await quick('&'.repeat(40)), 400, 'too_many_parameters', 'empty parameters');
	});

	test('400 parameters of 20-byte values: an error at once, not a hang', async () => {
		const r = await quick(params(400, 'x'.repeat(20)));
		assertError(assert, r, 414, 'uri_too_long');
		assert.ok(r.ms < 1000, `${r.ms} ms`);
	});

	test('a query of more than 1024 bytes: 414 uri_too_long; 1024 bytes are served', async () => {
		assertError(assert, await quick(`a=${'x'.repeat(QUERY_MAX - 1)}`), 414, 'uri_too_long');
		const r = await quick(`a=${'x'.repeat(QUERY_MAX - 2)}`);
		assert.equal(r.status, 200, r.text);
	});

	test('after all that the server is healthy', async () => {
		const r = await get(`${srv.url}/healthz?x=1&y=2`);
		assert.equal(r.status, 200);
		assert.deepEqual(r.json, { status: 'ok' });
	});
});
