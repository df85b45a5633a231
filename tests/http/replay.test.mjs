// SPDX-License-Identifier: ISC
// Durability and replays across restarts: a stored submission replayed
// after a clean restart, and after kill -9 right behind a 201, answers
// already_accepted and counts nothing twice.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, createRound, issueTokens, getForm, makeAnswers, respondents, scores,
	post, uuid, assertError,
} from '../lib/server.mjs';

const IIT = 'ita-2563-iit';
let srv, round, form, tokens;

const submit = (body) => post(`${srv.url}/api/v1/rounds/${round}/responses`, body);

before(async () => {
	srv = await startServer();
	round = await createRound(srv, IIT);
	tokens = await issueTokens(srv, round, 10);
	form = await getForm(srv, round);
});

after(async () => {
	await srv?.stop();
});

test('replay after a clean restart: 200 already_accepted, nothing counted twice', async () => {
	const body = { submission_id: uuid(), token: tokens[0], answers: makeAnswers(form, (q, v) => v[v.length - 1]) };
	let r = await submit(body);
	assert.equal(r.status, 201, r.text);
	const before = await scores(srv, round);
	assert.equal(await respondents(srv, round), 1);

	await srv.restart();
	r = await submit(body);
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json, { status: 'already_accepted' });
	assert.deepEqual(await scores(srv, round), before);
	// The code stays spent for any other submission.
	assertError(assert, await submit({ ...body, submission_id: uuid() }), 409, 'token_used', 'after restart');
});

test('kill -9 right after a 201: the response survives, and its replay is recognised', async () => {
	const body = { submission_id: uuid(), token: tokens[1], answers: makeAnswers(form, (q, v) => v[1]) };
	const n = await respondents(srv, round);
	const r = await submit(body);
	assert.equal(r.status, 201, r.text);
	await srv.kill9();
	await srv.restart();
	assert.equal(await respondents(srv, round), n + 1);
	const again = await submit(body);
	assert.equal(again.status, 200, again.text);
	assert.deepEqual(again.json, { status: 'already_accepted' });
	assert.equal(await respondents(srv, round), n + 1);
	assertError(assert, await submit({ ...body, submission_id: uuid() }), 409, 'token_used', 'after kill -9');
});

test('kill -9 after a burst of 201s loses none of them', async () => {
	const n = await respondents(srv, round);
	const bodies = tokens.slice(2, 7).map((t, i) => ({ submission_id: uuid(), token: t,
	    answers: makeAnswers(form, (q, v) => v[i % v.length]) }));
	const rs = await Promise.all(bodies.map((b) => submit(b)));
	for (const r of rs)
		assert.equal(r.status, 201, r.text);
	await srv.kill9();
	await srv.restart();
	assert.equal(await respondents(srv, round), n + 5);
	for (const b of bodies) {
		const r = await submit(b);
		assert.equal(r.status, 200, r.text);
	}
	const doc = await scores(srv, round);
	assert.equal(doc.respondents, 5, `${n + 5} responses, shown in steps of five`);
	assert.equal(doc.scored, 5, 'the snapshot taken at the 5th response is durable too');
	assert.equal(doc.published, true);
});
