// SPDX-License-Identifier: ISC
// Every translation key the pages use is in their app's string table in
// Thai and in English, and the two languages have the same keys with the
// same {placeholders}. No browser and no server: the pages' HTML and
// JavaScript are read from web/ and scanned (lib/jstokens.mjs).
//
// The two apps and their tables:
//   respondent  web/js/strings.js        pages loading /js/*.js
//   admin       web/admin/js/strings.js  pages loading /admin/js/*.js
//
// Where a key comes from:
//   HTML   data-i18n="key", data-i18n-attr="attr:key;...",
//          <title data-title="key">, and data-lang-toggle (the engine
//          labels it with 'lang.other')
//   JS     t(KEY, ...) and sayT(node, KEY, ...); the values of
//          'data-i18n' / 'data-i18n-attr' attributes given to el() and of
//          dataset.i18n = ...; the engine's titleSuffixKey option.
//          KEY is a string, or a ternary of strings (cond ? 'a' : 'b').
//   JS     any other string that looks like a key of a namespace the
//          table has ('err.token_used', 'chart.meets'): the keys the pages
//          pass around before t() sees them (setMsg('entry-msg', 'err.x'),
//          {key: 'err.x'} results, row('report.round'), the NAV table).
//   JS     keys built at run time (`aud.${audience}`, 'err.' + code): each
//          must be listed in DYNAMIC below with the keys it can make, or
//          marked GUARDED when the page copes with a key that is missing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tokenize, args, expression } from './lib/jstokens.mjs';

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');

// The page copes with a missing key (shows a fallback), so none is required.
const GUARDED = Symbol('guarded');

const APPS = {
	respondent: {
		table: 'js/strings.js',
		js: 'js',
		script: /^\/js\//,
		// Lower bounds on what the scan finds, so that a scan broken by a
		// refactoring cannot pass by finding nothing.
		minKeys: 100,
		dynamic: {},
	},
	admin: {
		table: 'admin/js/strings.js',
		js: 'admin/js',
		script: /^\/admin\/js\//,
		minKeys: 200,
		dynamic: {
			// login.js: only for the codes 'locked' and 'rate_limited'.
			'err.${code}.wait': ['err.locked.wait', 'err.rate_limited.wait'],
			// widgets.js kindLabel: a form's audience (API.md).
			'aud.${audience}': ['aud.internal', 'aud.external'],
			// round.js renderExports: row('scores') and row('responses').
			'exports.${what}': ['exports.scores', 'exports.responses'],
			// common.js topBar: the two roles of an account.
			'role.${me.role}': ['role.admin', 'role.viewer'],
			// chart.js optionLabel shows any other answer value as it is;
			// answerLegend always asks for the ITA scales' values (L4, YN).
			'opt.${v}': ['opt.1', 'opt.2', 'opt.3', 'opt.4', 'opt.yes', 'opt.no'],
			// audit.js actionLabel: an action without a label shows its name.
			'act.${a}': GUARDED,
			// audit.js fillActions: the action filter's groups.
			'audit.group.${a}': ['audit.group.round', 'audit.group.tokens', 'audit.group.kiosk',
			    'audit.group.admin', 'audit.group.oit'],
			// common.js errorText: has() first, else the server's message or
			// err.status; the codes that have a text are checked as keys
			// (th and en alike) by the key-set comparison.
			'err.${code}': GUARDED,
		},
	},
};

// The engine's own t() calls (web/lib/i18n.js), required by a rule below.
const ENGINE_KEYS = ['lang.other'];

const KEY_SHAPE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;

const read = (rel) => fs.readFileSync(path.join(WEB, rel), 'utf8');

// The table module, imported as the browser would (an ES module).
async function loadTable(rel) {
	const url = `data:text/javascript;charset=utf-8,${encodeURIComponent(read(rel))}`;
	const { STRINGS } = await import(url);
	return STRINGS;
}

function htmlPages(dir = '') {
	const out = [];
	for (const d of fs.readdirSync(path.join(WEB, dir), { withFileTypes: true })) {
		const rel = path.posix.join(dir, d.name);
		if (d.isDirectory())
			out.push(...htmlPages(rel));
		else if (d.name.endsWith('.html'))
			out.push(rel);
	}
	return out;
}

// A key-use collector for one app: key -> the places that use it.
function collector() {
	const uses = new Map();
	return {
		uses,
		add(key, where) {
			if (!uses.has(key))
				uses.set(key, []);
			uses.get(key).push(where);
		},
	};
}

// Keys named by an expression: a string, or the branches of a ternary.
// Anything else (a variable, a call) gives none here: such keys are found
// where they are written as strings (the namespace rule).
function exprKeys(toks, app, where, c, problems) {
	let depth = 0;
	for (let i = 0; i < toks.length; i++) {
		const tk = toks[i];
		if (tk.type === 'punc' && '([{'.includes(tk.value))
			depth++;
		else if (tk.type === 'punc' && ')]}'.includes(tk.value))
			depth--;
		else if (depth === 0 && tk.type === 'punc' && tk.value === '?' &&
		    !(toks[i + 1] && toks[i + 1].type === 'punc' && '.?'.includes(toks[i + 1].value)) &&
		    !(toks[i - 1] && toks[i - 1].type === 'punc' && toks[i - 1].value === '?')) {
			// cond ? a : b, b possibly a ternary itself.
			let d = 0;
			let nest = 0;
			for (let j = i + 1; j < toks.length; j++) {
				const u = toks[j];
				if (u.type === 'punc' && '([{'.includes(u.value))
					d++;
				else if (u.type === 'punc' && ')]}'.includes(u.value))
					d--;
				else if (d === 0 && u.type === 'punc' && u.value === '?')
					nest++;
				else if (d === 0 && u.type === 'punc' && u.value === ':') {
					if (nest === 0) {
						exprKeys(toks.slice(i + 1, j), app, where, c, problems);
						exprKeys(toks.slice(j + 1), app, where, c, problems);
						return;
					}
					nest--;
				}
			}
		}
	}
	if (toks.length === 1 && (toks[0].type === 'str' || (toks[0].type === 'tpl' && !toks[0].subs)))
		c.add(toks[0].value, `${where}:${toks[0].line}`);
	else if (toks.length === 1 && toks[0].type === 'tpl')
		dynamicKeys(toks[0].value, app, `${where}:${toks[0].line}`, c, problems);
}

function dynamicKeys(pattern, app, where, c, problems) {
	const known = APPS[app].dynamic[pattern];
	if (known === undefined) {
		problems.push(`${where}: the key \`${pattern}\` is built at run time; ` +
		    'list the keys it can make (or GUARDED) in DYNAMIC of strings.test.mjs');
		return;
	}
	if (known !== GUARDED)
		for (const k of known)
			c.add(k, `${where} (${pattern})`);
}

function scanJs(rel, app, namespaces, c, problems) {
	scanTokens(tokenize(read(rel)), rel, app, namespaces, c, problems);
}

function scanTokens(toks, rel, app, namespaces, c, problems) {
	const is = (tk, type, value) => tk && tk.type === type && (value === undefined || tk.value === value);
	for (let i = 0; i < toks.length; i++) {
		const tk = toks[i];
		const where = `web/${rel}`;
		// The code inside a template's ${...}: `${t('key')} …`.
		if (is(tk, 'tpl'))
			for (const inner of tk.inner)
				scanTokens(inner, rel, app, namespaces, c, problems);
		// t(KEY, ...) and sayT(node, KEY, ...), not their definitions.
		if (is(tk, 'ident') && (tk.value === 't' || tk.value === 'sayT') && is(toks[i + 1], 'punc', '(') &&
		    !is(toks[i - 1], 'ident', 'function')) {
			const a = args(toks, i + 1).args[tk.value === 't' ? 0 : 1];
			if (a)
				exprKeys(a, app, where, c, problems);
		}
		// 'data-i18n': KEY and 'data-i18n-attr': 'attr:KEY;...' given to el().
		if ((is(tk, 'str', 'data-i18n') || is(tk, 'str', 'data-i18n-attr')) && is(toks[i + 1], 'punc', ':')) {
			const sub = collector();
			exprKeys(expression(toks, i + 2), app, where, sub, problems);
			for (const [k, w] of sub.uses)
				for (const key of tk.value === 'data-i18n' ? [k] : attrKeys(k))
					c.add(key, w[0]);
		}
		// dataset.i18n = KEY
		if (is(tk, 'ident', 'dataset') && is(toks[i + 1], 'punc', '.') && is(toks[i + 2], 'ident', 'i18n') &&
		    is(toks[i + 3], 'punc', '=') && !is(toks[i + 4], 'punc', '='))
			exprKeys(expression(toks, i + 4), app, where, c, problems);
		// The engine's titleSuffixKey option.
		if (is(tk, 'ident', 'titleSuffixKey') && is(toks[i + 1], 'punc', ':') && is(toks[i + 2], 'str'))
			c.add(toks[i + 2].value, `${where}:${tk.line}`);
		// Any string shaped like a key of one of the table's namespaces.
		if ((is(tk, 'str') || (is(tk, 'tpl') && !tk.subs)) && KEY_SHAPE.test(tk.value) &&
		    namespaces.has(tk.value.split('.')[0]))
			c.add(tk.value, `${where}:${tk.line}`);
		// Built keys: `ns.${x}` or 'ns.' + x.
		if (is(tk, 'tpl') && tk.subs && /^[a-z][a-z0-9_]*\./.test(tk.value) && namespaces.has(tk.value.split('.')[0]))
			dynamicKeys(tk.value, app, `${where}:${tk.line}`, c, problems);
		if (is(tk, 'str') && /^[a-z][a-z0-9_.]*\.$/.test(tk.value) && is(toks[i + 1], 'punc', '+'))
			dynamicKeys(`${tk.value}' + …`, app, `${where}:${tk.line}`, c, problems);
	}
}

function attrKeys(spec) {
	return spec.split(';').map((p) => p.split(':')[1]).filter(Boolean).map((k) => k.trim());
}

function scanHtml(rel, c) {
	const html = read(rel).replace(/<!--[\s\S]*?-->/g, '');
	const at = (i) => `web/${rel}:${html.slice(0, i).split('\n').length}`;
	for (const m of html.matchAll(/\sdata-i18n="([^"]*)"/g))
		c.add(m[1], at(m.index));
	for (const m of html.matchAll(/\sdata-i18n-attr="([^"]*)"/g))
		for (const k of attrKeys(m[1]))
			c.add(k, at(m.index));
	for (const m of html.matchAll(/<title\b[^>]*\sdata-title="([^"]*)"/g))
		c.add(m[1], at(m.index));
	for (const m of html.matchAll(/\sdata-lang-toggle[\s=>]/g))
		for (const k of ENGINE_KEYS)
			c.add(k, `${at(m.index)} (data-lang-toggle)`);
}

function appOfPage(rel) {
	const srcs = [...read(rel).matchAll(/<script\b[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]);
	const apps = Object.keys(APPS).filter((a) => srcs.some((s) => APPS[a].script.test(s)));
	return apps.length === 1 ? apps[0] : null;
}

async function scanApp(app) {
	const cfg = APPS[app];
	const strings = await loadTable(cfg.table);
	const namespaces = new Set(Object.keys(strings.th).filter((k) => k.includes('.')).map((k) => k.split('.')[0]));
	const c = collector();
	const problems = [];
	for (const f of fs.readdirSync(path.join(WEB, cfg.js)).sort()) {
		const rel = path.posix.join(cfg.js, f);
		if (f.endsWith('.js') && rel !== cfg.table)
			scanJs(rel, app, namespaces, c, problems);
	}
	const pages = htmlPages().filter((p) => appOfPage(p) === app);
	for (const p of pages)
		scanHtml(p, c);
	return { strings, uses: c.uses, problems, pages };
}

test('every HTML page belongs to exactly one app', () => {
	const orphans = htmlPages().filter((p) => appOfPage(p) === null);
	assert.deepEqual(orphans, [], 'pages that load neither /js/ nor /admin/js/ (or both)');
});

test('the shared engine uses no key beyond the ones this test knows', () => {
	const toks = tokenize(read('lib/i18n.js'));
	const found = new Set();
	for (let i = 0; i < toks.length; i++)
		if (toks[i].type === 'ident' && toks[i].value === 't' && toks[i + 1]?.value === '(' &&
		    toks[i - 1]?.value !== 'function') {
			const a = args(toks, i + 1).args[0];
			if (a && a.length === 1 && a[0].type === 'str')
				found.add(a[0].value);
		}
	assert.deepEqual([...found].sort(), [...ENGINE_KEYS].sort());
});

for (const app of Object.keys(APPS)) {
	test(`${app}: every key used is in the th and en tables`, async (t) => {
		const { strings, uses, problems, pages } = await scanApp(app);
		assert.deepEqual(problems, []);
		assert.ok(pages.length > 0, `no ${app} page found`);
		assert.ok(uses.size >= APPS[app].minKeys,
		    `only ${uses.size} keys found in the ${app} pages; the scan is broken (expected >= ${APPS[app].minKeys})`);
		const missing = [];
		for (const [key, where] of [...uses].sort()) {
			for (const lang of ['th', 'en'])
				if (typeof strings[lang][key] !== 'string' || strings[lang][key] === '')
					missing.push(`${lang} '${key}' (${where[0]})`);
		}
		assert.deepEqual(missing, [], `keys missing from ${APPS[app].table}`);
		// For the record: table keys no page was seen to use, not counting
		// the ones a GUARDED pattern may make.
		const guarded = Object.entries(APPS[app].dynamic).filter(([, v]) => v === GUARDED)
		    .map(([p]) => new RegExp(`^${p.split(/\$\{[^}]*\}/).map((s) => s.replace(/\./g, '\\.')).join('[a-z0-9_.]+')}$`));
		const unused = Object.keys(strings.th).filter((k) => !uses.has(k) && !guarded.some((re) => re.test(k)));
		t.diagnostic(`${app}: ${uses.size} keys used, in ${pages.length} pages; ` +
		    `${unused.length} other keys in the table${unused.length ? `: ${unused.join(', ')}` : ''}`);
	});

	test(`${app}: th and en have the same keys and placeholders`, async () => {
		const strings = await loadTable(APPS[app].table);
		const th = Object.keys(strings.th);
		const en = Object.keys(strings.en);
		assert.deepEqual(th.filter((k) => !(k in strings.en)), [], 'in th, not in en');
		assert.deepEqual(en.filter((k) => !(k in strings.th)), [], 'in en, not in th');
		const vars = (s) => [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort().join(',');
		const differ = th.filter((k) => vars(strings.th[k]) !== vars(strings.en[k]))
		    .map((k) => `${k}: th {${vars(strings.th[k])}} en {${vars(strings.en[k])}}`);
		assert.deepEqual(differ, [], 'placeholders differ');
	});
}
