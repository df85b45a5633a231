// SPDX-License-Identifier: ISC
// GET /metrics on --metrics-listen (and only there): Prometheus text with
// replies by route pattern and status class, the writer's queue and
// commit times, the database and log sizes, the newest backup's time; no
// round, kiosk or code in any label, whatever was asked of the server.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	startServer, createRound, issueTokens, getForm, makeAnswers, post, get, uuid,
} from '../lib/server.mjs';

let srv, backups;
after(async () => {
	await srv?.stop();
	if (backups)
		fs.rmSync(backups, { recursive: true, force: true });
});

// The metrics as {name{labels}: value}.
async function metrics(url) {
	const r = await get(url);
	assert.equal(r.status, 200, r.text);
	assert.match(r.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
	const out = new Map();
	for (const line of r.text.split('\n')) {
		if (line === '' || line.startsWith('#'))
			continue;
		const m = /^([a-z_]+(?:\{.*\})?) (\S+)$/.exec(line);
		assert.ok(m, `a sample line: ${JSON.stringify(line)}`);
		out.set(m[1], Number(m[2]));
	}
	return { map: out, text: r.text };
}

test('metrics: counts by route pattern, writer, sizes, backup time; nothing per round', async () => {
	backups = fs.mkdtempSync(path.join(os.tmpdir(), 'ita-metrics-backups-'));
	srv = await startServer({ args: ['--metrics-listen', '127.0.0.1:0', '--backup-dir', backups] });
	const m = /metrics on (http:\/\/127\.0\.0\.1:[0-9]+\/metrics)/.exec(srv.stderr());
	assert.ok(m, `the log names the metrics address:\n${srv.stderr()}`);
	const url = m[1];

	let { map } = await metrics(url);
	assert.equal(map.get('ita_writer_queue_depth'), 0);
	assert.ok(map.get('ita_db_bytes') > 0);
	assert.ok(map.has('ita_db_wal_bytes'));
	assert.ok(!map.has('ita_backup_last_timestamp_seconds'), 'no backup yet');
	assert.equal(map.get('ita_build_info{version="' + /version="([^"]*)"/.exec([...map.keys()].join(' '))?.[1] + '"}'), 1);

	const round = await createRound(srv, 'ita-2563-iit');
	const [code] = await issueTokens(srv, round, 1);
	const form = await getForm(srv, round);
	for (let i = 0; i < 3; i++)
		assert.equal((await get(`${srv.url}/healthz`)).status, 200);
	assert.equal((await get(`${srv.url}/no-such-page.html`)).status, 404);
	assert.equal((await get(`${srv.url}/api/v1/nothing`)).status, 404);
	const r = await post(`${srv.url}/api/v1/rounds/${round}/responses`,
	    { submission_id: uuid(), token: code, answers: makeAnswers(form) });
	assert.equal(r.status, 201, r.text);
	assert.equal((await get(`${srv.url}/metrics`)).status, 404, 'not on the public address');

	const b = await srv.cli(['backup', '--backup-dir', backups]);
	assert.equal(b.code, 0, b.stderr);

	const got = await metrics(url);
	map = got.map;
	assert.equal(map.get('ita_http_requests_total{method="GET",route="/healthz",code="2xx"}'), 3);
	assert.equal(map.get('ita_http_requests_total{method="POST",route="/api/v1/rounds/{id}/responses",code="2xx"}'), 1);
	assert.equal(map.get('ita_http_requests_total{route="static",code="4xx"}'), 2, 'the missing page and /metrics');
	assert.equal(map.get('ita_http_requests_total{route="none",code="4xx"}'), 1, 'the unknown API path');
	assert.ok(map.get('ita_writer_commit_seconds_count') >= 1);
	assert.ok(map.get('ita_writer_commit_seconds_sum') > 0);
	assert.ok(map.get('ita_writer_commit_seconds_max') > 0);
	const t = map.get('ita_backup_last_timestamp_seconds');
	assert.ok(Math.abs(t - Date.now() / 1000) < 120, `backup time ${t}`);
	// No round, code or kiosk anywhere: every label is a pattern.
	assert.ok(!got.text.includes(`/${round}/`), 'no round id in a label');
	assert.ok(!got.text.includes(code), 'no code');
	for (const [k] of map)
		assert.doesNotMatch(k, /route="[^"]*\/[0-9]/, k);

	// Only GET /metrics there.
	const u = new URL(url);
	assert.equal((await get(`${u.origin}/`)).status, 404);
	assert.equal((await post(url, {})).status, 405);
});

test('a bad --metrics-listen is refused at start', async () => {
	await assert.rejects(startServer({ args: ['--metrics-listen', 'nowhere'] }), /metrics-listen/);
});
