// SPDX-License-Identifier: ISC
// Static pages from web/: security headers, caching, no way out of the
// folder; /healthz.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, get, request, rawRequest, assertError } from '../lib/server.mjs';

let srv;

before(async () => {
	srv = await startServer();
});

after(async () => {
	await srv?.stop();
});

function securityHeaders(h, what) {
	const get = (k) => (typeof h.get === 'function' ? h.get(k) : h[k]);
	assert.match(get('content-security-policy') ?? '', /default-src 'self'/, `${what}: CSP`);
	assert.match(get('content-security-policy') ?? '', /frame-ancestors 'none'/, `${what}: CSP frame-ancestors`);
	assert.doesNotMatch(get('content-security-policy') ?? '', /unsafe-inline|unsafe-eval/, `${what}: CSP`);
	assert.equal(get('x-content-type-options'), 'nosniff', `${what}: X-Content-Type-Options`);
	assert.equal(get('x-frame-options'), 'DENY', `${what}: X-Frame-Options`);
	assert.equal(get('referrer-policy'), 'no-referrer', `${what}: Referrer-Policy`);
}

test('GET / and /respond/ serve HTML with the security headers', async () => {
	for (const p of ['/', '/respond/', '/index.html', '/kiosk/', '/eit/', '/admin/']) {
		const r = await get(`${srv.url}${p}`);
		assert.equal(r.status, 200, p);
		assert.match(r.headers.get('content-type'), /^text\/html; charset=utf-8$/i, p);
		assert.match(r.text, /<!doctype html>/i, p);
		securityHeaders(r.headers, p);
	}
});

test('a folder without its slash is redirected', async () => {
	const r = await get(`${srv.url}/respond`);
	assert.equal(r.status, 301);
	assert.equal(r.headers.get('location'), '/respond/');
});

test('scripts and styles get their types; HEAD has no body', async () => {
	let r = await get(`${srv.url}/js/api.js`);
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type'), /^text\/javascript/);
	r = await get(`${srv.url}/css/base.css`);
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type'), /^text\/css/);
	r = await request(`${srv.url}/`, { method: 'HEAD' });
	assert.equal(r.status, 200);
	assert.equal(r.buf.length, 0);
});

test('API replies have Cache-Control: no-store and the security headers', async () => {
	for (const p of ['/healthz', '/api/v1/rounds/1/form', '/api/v1/nope', '/api/v1/admin/rounds']) {
		const r = await get(`${srv.url}${p}`);
		assert.equal(r.headers.get('cache-control'), 'no-store', p);
		assert.match(r.headers.get('content-type'), /^application\/json; charset=utf-8$/i, p);
		securityHeaders(r.headers, p);
	}
});

test('/healthz answers {"status": "ok"}', async () => {
	const r = await get(`${srv.url}/healthz`);
	assert.equal(r.status, 200);
	assert.deepEqual(r.json, { status: 'ok' });
});

test('no path leaves web/ or shows a hidden file', async () => {
	const paths = [
		'/../etc/passwd', '/../../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/%2E%2E/%2E%2E/etc/passwd',
		'/..%2f..%2fetc/passwd', '/respond/../../migrations/0001_init.sql', '/respond/%2e%2e/%2e%2e/migrations/0001_init.sql',
		'/.git/config', '/.%67it/config', '/%2egit/config', '/respond/./../../Makefile', '//etc/passwd',
		'/..\\..\\etc\\passwd', '/forms/ita-2563-iit.json', '/../forms/ita-2563-iit.json', '/../var/secret.key',
		'/respond/index.html/', '/etc/passwd',
	];
	for (const p of paths) {
		const r = await rawRequest(srv.url, p);
		assert.ok(r.status === 404 || r.status === 400, `${p} -> ${r.status}`);
		assert.doesNotMatch(r.text, /root:|CREATE TABLE|\[core\]|"scales"|^#|PKGS/m, `${p} shows a file`);
		if (r.status === 404) {
			assert.deepEqual(Object.keys(JSON.parse(r.text)), ['error'], p);
			assert.equal(JSON.parse(r.text).error.code, 'not_found', p);
		}
	}
});

test('a NUL in the path never reaches a file outside web/', async () => {
	// The path is cut at the NUL, so what is served is a page of web/.
	for (const p of ['/%00/../etc/passwd', '/index.html%00/../../Makefile', '/respond/%00../../migrations/0001_init.sql']) {
		const r = await rawRequest(srv.url, p);
		assert.doesNotMatch(r.text, /root:|CREATE TABLE|PKGS/, `${p} shows a file outside web/`);
	}
});

test('unknown pages get a 404 envelope; a POST to a page gets 405', async () => {
	assertError(assert, await get(`${srv.url}/no-such-page.html`), 404, 'not_found', '/no-such-page.html');
	assertError(assert, await request(`${srv.url}/index.html`, { method: 'POST', body: {} }), 405, 'method_not_allowed',
	    'POST /index.html');
});
