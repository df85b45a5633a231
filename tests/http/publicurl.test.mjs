// SPDX-License-Identifier: ISC
// --public-url / ITA_SURVEY_PUBLIC_URL: the address the console prints on
// slips, QR codes and kiosk pairing.  GET /api/v1/admin/me carries it
// without its trailing "/" (null when unset), and serve refuses a value
// that is not http[s]://HOST[:PORT] before it listens.

import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, run, serveUser, startServer, adminLogin, get } from '../lib/server.mjs';

// me.public_url of a server started with args (and env), for a viewer
// (the console shows the warning to everyone who sees a link).
async function publicUrl(args, env) {
	const srv = await startServer({ args, env });
	try {
		const viewer = await adminLogin(srv, 'vera', { role: 'viewer' });
		const me = await get(`${srv.url}/api/v1/admin/me`, viewer.headers);
		assert.equal(me.status, 200, me.text);
		assert.equal(me.json.username, 'vera');
		assert.ok('public_url' in me.json, 'me always has public_url');
		return me.json.public_url;
	} finally {
		await srv.stop();
	}
}

describe('me.public_url', () => {
	test('null without --public-url', async () => {
		assert.equal(await publicUrl([]), null);
	});

	test('the flag, its trailing "/" removed', async () => {
		assert.equal(await publicUrl(['--public-url', 'https://survey.example.go.th/']),
		    'https://survey.example.go.th');
		assert.equal(await publicUrl(['--public-url=http://10.1.2.3:8080']), 'http://10.1.2.3:8080');
		assert.equal(await publicUrl(['--public-url', 'https://[2001:db8::1]:8443/']),
		    'https://[2001:db8::1]:8443');
	});

	test('ITA_SURVEY_PUBLIC_URL, and the flag over it', async () => {
		const env = { ITA_SURVEY_PUBLIC_URL: 'https://ita.example.org/' };
		assert.equal(await publicUrl([], env), 'https://ita.example.org');
		assert.equal(await publicUrl(['--public-url', 'https://survey.example.go.th'], env),
		    'https://survey.example.go.th');
	});
});

describe('serve refuses a bad --public-url', () => {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ita-publicurl-'));
	after(() => fs.rmSync(tmp, { recursive: true, force: true }));

	// serve with url; a server that started anyway is killed at the
	// timeout (code null), which fails the test.
	const serve = (args, env) => run(BIN, ['serve', '--listen', '127.0.0.1:0', '--db', path.join(tmp, 'db'),
	    '--secret', path.join(tmp, 'secret.key'), '--forms', 'forms', '--web', 'web',
	    '--migrations', 'migrations', ...serveUser(args)], { timeout: 20000, env });

	const BAD = ['ftp://x', 'https://x/path', 'https://', 'https://a b', `https://${'a'.repeat(290)}.go.th`,
	    'survey.example.go.th', 'https://x:', 'https://x?round=1', 'https://x#frag', 'https://user@x'];

	for (const url of BAD) {
		test(`${url.length > 40 ? `${url.slice(0, 30)}... (${url.length} bytes)` : JSON.stringify(url)}`, async () => {
			const r = await serve(['--public-url', url]);
			assert.equal(r.code, 1, `exit status; stderr: ${r.stderr}`);
			assert.equal(r.stdout, '', 'nothing listens');
			assert.match(r.stderr, /--public-url .*not http\[s\]:\/\/HOST\[:PORT\] \(no path; at most 200 bytes\)/);
		});
	}

	test('from ITA_SURVEY_PUBLIC_URL too', async () => {
		const r = await serve([], { ITA_SURVEY_PUBLIC_URL: 'https://x/path' });
		assert.equal(r.code, 1, `exit status; stderr: ${r.stderr}`);
		assert.equal(r.stdout, '');
		assert.match(r.stderr, /--public-url https:\/\/x\/path: not http\[s\]/);
	});
});
