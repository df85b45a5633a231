// SPDX-License-Identifier: ISC
// libmicrohttpd's error log is throttled: a hundred malformed requests
// (a header line without a colon, each logged by libmicrohttpd) make a
// line or two on stderr, not a hundred; the next line of that kind, a
// second later, says how many were dropped, and none is lost from the
// count.

import { test, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, rawHttp } from '../lib/server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const BAD = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nno colon here\r\n\r\n';
const KIND = /Error processing request/;

describe('libmicrohttpd log throttle', () => {
	let srv;
	after(async () => {
		await srv?.stop();
	});

	test('100 malformed requests: at most 3 log lines; the next says how many were dropped', async () => {
		srv = await startServer();
		const t0 = Date.now();
		for (let i = 0; i < 100; i += 20) {
			const rs = await Promise.all([...Array(20)].map(() => rawHttp(srv.url, BAD, { timeout: 5000 })));
			for (const r of rs)
				assert.equal(r.status, 400, 'libmicrohttpd refuses the request itself');
		}
		const burstMs = Date.now() - t0;
		await sleep(300);
		const lines = () => srv.stderr().split('\n').filter((l) => KIND.test(l));
		const burst = lines();
		assert.ok(burst.length >= 1, 'the first one is logged');
		assert.ok(burst.length <= 2 + Math.floor(burstMs / 1000),
		    `${burst.length} lines for 100 malformed requests in ${burstMs} ms:\n${burst.slice(0, 5).join('\n')}`);

		await sleep(1100);
		const r = await rawHttp(srv.url, BAD, { timeout: 5000 });
		assert.equal(r.status, 400);
		await sleep(300);
		const all = lines();
		assert.equal(all.length, burst.length + 1, 'one more line');
		const m = /\((\d+) similar lines dropped\)$/.exec(all.at(-1));
		assert.ok(m, `the line says how many were dropped: ${all.at(-1)}`);
		const dropped = all.reduce((n, l) => n + Number(/\((\d+) similar lines dropped\)$/.exec(l)?.[1] ?? 0), 0);
		assert.equal(all.length + dropped, 101, 'every malformed request is counted once');
		assert.match(all[0], /libmicrohttpd: /, 'the lines say where they come from');
	});
});
