// SPDX-License-Identifier: ISC
// The kiosk's service worker (web/kiosk/sw.js) keeps every file the kiosk
// page needs to start offline: its scripts and styles, and every module
// they import, followed through the shared core in web/lib/. A module left
// out of SHELL only shows when a tablet restarts without the network, so
// this is checked statically, with no browser.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tokenize } from './lib/jstokens.mjs';

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');
const read = (url) => fs.readFileSync(path.join(WEB, url), 'utf8');

// The string list assigned to `const NAME = [...]` in src.
function stringList(src, name) {
	const toks = tokenize(src);
	const i = toks.findIndex((tk, j) => tk.type === 'ident' && tk.value === name &&
	    toks[j + 1]?.value === '=' && toks[j + 2]?.value === '[');
	assert.ok(i >= 0, `no ${name} list`);
	const out = [];
	for (let j = i + 3; toks[j].value !== ']'; j++)
		if (toks[j].type === 'str')
			out.push(toks[j].value);
	return out;
}

// The site paths a module imports (import ... from 'x', import 'x',
// export ... from 'x'), resolved against the module's own path.
function imports(url) {
	const toks = tokenize(read(url));
	const out = [];
	for (let i = 0; i < toks.length - 1; i++) {
		const tk = toks[i];
		if (tk.type === 'ident' && (tk.value === 'from' || tk.value === 'import') && toks[i + 1].type === 'str')
			out.push(new URL(toks[i + 1].value, `http://x${url}`).pathname);
	}
	return out;
}

test('the kiosk service worker caches every file the kiosk page loads', () => {
	const shell = stringList(read('/kiosk/sw.js'), 'SHELL');
	const html = read('/kiosk/index.html');
	const need = new Set(['/kiosk/']);
	for (const m of html.matchAll(/<link\b[^>]*\srel="stylesheet"[^>]*\shref="([^"]+)"/g))
		need.add(m[1]);
	const todo = [...html.matchAll(/<script\b[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]);
	assert.ok(todo.length > 0, 'the kiosk page loads no script');
	while (todo.length) {
		const url = todo.pop();
		if (need.has(url))
			continue;
		need.add(url);
		todo.push(...imports(url));
	}
	// The shared core must be among them, or this test follows nothing.
	assert.ok([...need].some((u) => u.startsWith('/lib/')), 'no /lib/ module found');
	assert.deepEqual([...need].filter((u) => !shell.includes(u)).sort(), [], 'missing from SHELL in web/kiosk/sw.js');
	// Install fails as a whole when one file is missing (cache.addAll).
	const absent = shell.filter((u) => u !== '/kiosk/' && !fs.existsSync(path.join(WEB, u)));
	assert.deepEqual(absent, [], 'in SHELL but not under web/');
});
