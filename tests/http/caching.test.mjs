// SPDX-License-Identifier: ISC
// Prepared bytes: the form document and the static files come gzipped when
// the client accepts gzip (and only then), with a strong ETag per encoding,
// Vary: Accept-Encoding and Cache-Control: no-cache, and 304 when
// If-None-Match names the tag.  The form document follows its round: a new
// title through the API is a new document at once, closing through the
// API gives 410 at once, closing through the CLI (another process) within
// about a second.  A static file changed on disk gets a new tag.
//
// Requests go through node:http, not fetch: fetch asks for gzip by itself
// and inflates what comes back, which would hide what the server sent.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { startServer, createRound, adminLogin, request, run, BIN, ROOT, AS_ROOT, VALGRIND }
    from '../lib/server.mjs';

let srv;

before(async () => {
	srv = await startServer({ args: ['--rate-limits', 'off'] });
});

after(async () => {
	await srv?.stop();
});

// GET (or method) base+p with exactly these headers; resolves {status,
// headers (lower-case names), body (Buffer, as sent)}.
function raw(base, p, headers = {}, method = 'GET') {
	const u = new URL(base);
	return new Promise((resolve, reject) => {
		const rq = http.request({ host: u.hostname, port: u.port, path: p, method,
		    headers: { connection: 'close', ...headers }, agent: false }, (res) => {
			const chunks = [];
			res.on('data', (d) => chunks.push(d));
			res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
			    body: Buffer.concat(chunks) }));
			res.on('error', reject);
		});
		rq.on('error', reject);
		rq.end();
	});
}

const STRONG = /^"[0-9a-f][0-9a-f-]*(-gz)?"$/;

// The identity and gzip replies of path agree, their tags differ, and
// If-None-Match gives 304 for either tag, in a list, weak or "*", and 200
// for another.  Resolves the identity reply.
async function checkEncodings(base, p, what) {
	const id = await raw(base, p);
	assert.equal(id.status, 200, what);
	assert.equal(id.headers['content-encoding'], undefined, what);
	assert.equal(id.headers.vary, 'Accept-Encoding', what);
	assert.equal(id.headers['cache-control'], 'no-cache', what);
	assert.match(id.headers.etag ?? '', STRONG, what);
	const gz = await raw(base, p, { 'accept-encoding': 'br, gzip;q=0.8, deflate' });
	assert.equal(gz.status, 200, what);
	assert.equal(gz.headers['content-encoding'], 'gzip', what);
	assert.equal(gz.headers.vary, 'Accept-Encoding', what);
	assert.equal(gz.headers['content-type'], id.headers['content-type'], what);
	assert.equal(Number(gz.headers['content-length']), gz.body.length, what);
	assert.ok(gz.body.length < id.body.length * 0.6, `${what}: gzip ${gz.body.length} of ${id.body.length}`);
	assert.deepEqual(zlib.gunzipSync(gz.body), id.body, `${what}: gzip inflates to the identity bytes`);
	assert.match(gz.headers.etag, STRONG, what);
	assert.notEqual(gz.headers.etag, id.headers.etag, `${what}: one tag per encoding`);
	// Not accepted: identity, the same bytes and tag each time.
	for (const ae of ['gzip;q=0', 'identity', 'deflate, br', '*;q=0', 'gzip;q=0.000, br']) {
		const r = await raw(base, p, { 'accept-encoding': ae });
		assert.equal(r.headers['content-encoding'], undefined, `${what}: ${ae}`);
		assert.equal(r.headers.etag, id.headers.etag, `${what}: ${ae}`);
		assert.deepEqual(r.body, id.body, `${what}: ${ae}`);
	}
	// Revalidation.
	const nm = async (inm, ae) => raw(base, p, { 'if-none-match': inm, ...(ae ? { 'accept-encoding': ae } : {}) });
	for (const [inm, ae] of [[id.headers.etag], [`W/${id.headers.etag}`], [`"x", ${id.headers.etag}`],
	    ['*'], [gz.headers.etag, 'gzip'], [`"y", W/${gz.headers.etag}, "z"`, 'gzip']]) {
		const r = await nm(inm, ae);
		assert.equal(r.status, 304, `${what}: If-None-Match ${inm} (${ae})`);
		assert.equal(r.body.length, 0, `${what}: 304 has no body`);
		assert.equal(r.headers.etag, ae ? gz.headers.etag : id.headers.etag, what);
		assert.equal(r.headers.vary, 'Accept-Encoding', what);
		assert.equal(r.headers['cache-control'], 'no-cache', what);
	}
	// Another tag, or the other encoding's tag: the whole reply.
	for (const [inm, ae] of [['"nope"'], [gz.headers.etag], [id.headers.etag, 'gzip'],
	    [id.headers.etag.slice(0, -2) + '"']]) {
		const r = await nm(inm, ae);
		assert.equal(r.status, 200, `${what}: If-None-Match ${inm} (${ae})`);
		assert.ok(r.body.length > 0, what);
	}
	// HEAD: the headers of GET, no body.
	const h = await raw(base, p, { 'accept-encoding': 'gzip' }, 'HEAD');
	assert.equal(h.status, 200, what);
	assert.equal(h.body.length, 0, what);
	assert.equal(h.headers.etag, gz.headers.etag, what);
	assert.equal(Number(h.headers['content-length']), gz.body.length, what);
	return id;
}

test('the form document: gzip, ETags, 304; it follows the round (API at once, CLI within ~1 s)', async () => {
	const id = await createRound(srv, 'ita-2563-eit', { title: 'Caching one', pub: true });
	const p = `/api/v1/rounds/${id}/form`;
	const first = await checkEncodings(srv.url, p, 'form');
	const doc = JSON.parse(first.body);
	assert.equal(doc.round, id);
	assert.equal(doc.round_title, 'Caching one');
	assert.equal(doc.public, true);
	assert.ok(Array.isArray(doc.questions ?? doc.sections ?? doc.indicators), 'a questionnaire');
	// Stable: made once, the same bytes and tag again.
	const again = await raw(srv.url, p);
	assert.equal(again.headers.etag, first.headers.etag);
	assert.deepEqual(again.body, first.body);

	// Renamed through the API: a new document and tag at once.
	const alice = await adminLogin(srv);
	let r = await request(`${srv.url}/api/v1/admin/rounds/${id}`,
	    { method: 'PATCH', body: { title: 'Caching renamed' }, headers: alice.headers });
	assert.equal(r.status, 200, r.text);
	const renamed = await raw(srv.url, p, { 'if-none-match': first.headers.etag });
	assert.equal(renamed.status, 200);
	assert.notEqual(renamed.headers.etag, first.headers.etag);
	assert.equal(JSON.parse(renamed.body).round_title, 'Caching renamed');

	// Closed through the API: 410 at once (no-store, as every error); open
	// again: the document again.
	r = await request(`${srv.url}/api/v1/admin/rounds/${id}/close`, { method: 'POST', headers: alice.headers });
	assert.equal(r.status, 200, r.text);
	let c = await raw(srv.url, p, { 'if-none-match': renamed.headers.etag });
	assert.equal(c.status, 410);
	assert.equal(JSON.parse(c.body).error.code, 'round_closed');
	assert.equal(c.headers['cache-control'], 'no-store');
	assert.equal(c.headers.etag, undefined);
	r = await request(`${srv.url}/api/v1/admin/rounds/${id}/open`, { method: 'POST', headers: alice.headers });
	assert.equal(r.status, 200, r.text);
	c = await raw(srv.url, p, { 'if-none-match': renamed.headers.etag });
	assert.equal(c.status, 304);

	// Closed by the CLI, another process: seen within about a second.
	// Requests keep coming meanwhile, as they would under load.
	assert.equal((await raw(srv.url, p)).status, 200);
	const cli = await srv.cli(['round', 'close', String(id)]);
	assert.equal(cli.code, 0, cli.stderr);
	const t0 = Date.now();
	let status;
	while ((status = (await raw(srv.url, p)).status) === 200 && Date.now() - t0 < 5000)
		await new Promise((res) => setTimeout(res, 50));
	assert.equal(status, 410);
	assert.ok(Date.now() - t0 < (VALGRIND ? 4000 : 2000), `410 after ${Date.now() - t0} ms`);
	// Unknown: 404.
	assert.equal((await raw(srv.url, '/api/v1/rounds/999999/form')).status, 404);
});

test('static files: gzip for text, ETags, 304, HEAD', async () => {
	await checkEncodings(srv.url, '/js/api.js', '/js/api.js');
	await checkEncodings(srv.url, '/respond/', '/respond/');
	const css = await checkEncodings(srv.url, '/css/base.css', '/css/base.css');
	assert.match(css.headers['content-type'], /^text\/css/);
	assert.deepEqual(css.body, fs.readFileSync(path.join(ROOT, 'web/css/base.css')));
	// Errors stay as they were: no tag, no-store.
	const r = await raw(srv.url, '/nope.js', { 'accept-encoding': 'gzip' });
	assert.equal(r.status, 404);
	assert.equal(r.headers.etag, undefined);
	assert.equal(r.headers['content-encoding'], undefined);
});

// A server of its own on a web folder of the test's, whose files change.
async function serveWeb(dir, web) {
	const flags = ['--db', path.join(dir, 'db'), '--secret', path.join(dir, 'secret.key'),
	    '--forms', 'forms', '--web', web, '--migrations', 'migrations'];
	const m = await run(BIN, ['migrate', ...flags]);
	assert.equal(m.code, 0, m.stderr);
	const p = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', ...flags, ...AS_ROOT],
	    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '', err = '';
	p.stderr.on('data', (d) => { err += d; });
	const exited = new Promise((res) => p.once('exit', (code) => res(code)));
	const url = await new Promise((resolve, reject) => {
		const t = setTimeout(() => reject(new Error(`no start: ${err}`)), 20000);
		p.stdout.on('data', (d) => {
			out += d;
			const mm = /^listening on (http:\/\/\S+)\n/.exec(out);
			if (mm) {
				clearTimeout(t);
				resolve(mm[1]);
			}
		});
		exited.then((code) => reject(new Error(`exited ${code}: ${err}`)));
	});
	return { url, stop: async () => { p.kill('SIGTERM'); return exited; } };
}

test('a static file changed on disk gets a new tag; other files are sent from disk with one', async () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ita-caching-'));
	const web = path.join(dir, 'web');
	fs.mkdirSync(web);
	const js = path.join(web, 'a.js');
	fs.writeFileSync(js, '// one\n' + 'const x = 1;\n'.repeat(200));
	fs.writeFileSync(path.join(web, 'b.png'), Buffer.alloc(3000, 7));
	const s = await serveWeb(dir, web);
	try {
		const a = await raw(s.url, '/a.js', { 'accept-encoding': 'gzip' });
		assert.equal(a.status, 200);
		assert.equal(a.headers['content-encoding'], 'gzip');
		// Rewritten (same size: only the time and bytes differ).
		fs.writeFileSync(js, '// two\n' + 'const x = 1;\n'.repeat(200));
		const b = await raw(s.url, '/a.js', { 'accept-encoding': 'gzip', 'if-none-match': a.headers.etag });
		assert.equal(b.status, 200);
		assert.notEqual(b.headers.etag, a.headers.etag);
		assert.match(zlib.gunzipSync(b.body).toString(), /^\/\/ two\n/);
		const i = await raw(s.url, '/a.js');
		assert.match(i.body.toString(), /^\/\/ two\n/);
		// A type that does not compress: from disk, tagged, no Vary needed.
		const png = await raw(s.url, '/b.png', { 'accept-encoding': 'gzip' });
		assert.equal(png.status, 200);
		assert.equal(png.headers['content-encoding'], undefined);
		assert.equal(png.body.length, 3000);
		assert.match(png.headers.etag, STRONG);
		const png2 = await raw(s.url, '/b.png', { 'if-none-match': png.headers.etag });
		assert.equal(png2.status, 304);
		assert.equal(png2.body.length, 0);
	} finally {
		assert.equal(await s.stop(), 0);
		fs.rmSync(dir, { recursive: true, force: true });
	}
});
