// SPDX-License-Identifier: ISC
// What every admin page shares: the API wrapper (session cookie plus the
// X-CSRF-Token header from sessionStorage on every change), the Thai /
// English labels, the top bar, and small DOM and number helpers.
//
// The CSRF token lives in sessionStorage, not in a cookie, so that only
// script on our own pages can send it, and it goes when the tab closes.
// No page uses innerHTML for anything a person typed: el() builds nodes
// and sets text.

import { STRINGS } from './strings.js';

const CSRF_KEY = 'ita-admin-csrf';
const LANG_KEY = 'ita-admin-lang';
const TIMEOUT_MS = 60000;

export const $ = (id) => document.getElementById(id);

// ---- language ----

let lang = localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'th';
const langListeners = [];

export function getLang() {
	return lang;
}

// t('key', {n: 3}): the label in the current language, "{n}" replaced.
export function t(key, vars) {
	let s = STRINGS[lang][key];
	if (s === undefined)
		s = STRINGS.th[key] !== undefined ? STRINGS.th[key] : key;
	if (vars)
		s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] !== undefined ? String(vars[k]) : m));
	return s;
}

// A {"th", "en"} label from the server in the current language.
export function L(label) {
	if (!label)
		return '';
	return label[lang] || label.th || label.en || '';
}

// Fills every [data-i18n] (text) and [data-i18n-attr="attr:key;..."].
export function applyI18n(root = document) {
	document.documentElement.lang = lang;
	root.querySelectorAll('[data-i18n]').forEach((e) => {
		e.textContent = t(e.dataset.i18n, e.dataset.i18nVars ? JSON.parse(e.dataset.i18nVars) : undefined);
	});
	root.querySelectorAll('[data-i18n-attr]').forEach((e) => {
		for (const pair of e.dataset.i18nAttr.split(';')) {
			const [attr, key] = pair.split(':');
			if (attr && key)
				e.setAttribute(attr.trim(), t(key.trim()));
		}
	});
	const title = document.querySelector('title[data-title]');
	if (title)
		document.title = `${t(title.dataset.title)} · ${t('app.short')}`;
}

export function onLang(fn) {
	langListeners.push(fn);
}

export function setLang(l) {
	lang = l === 'en' ? 'en' : 'th';
	localStorage.setItem(LANG_KEY, lang);
	applyI18n();
	for (const fn of langListeners)
		fn();
}

// A button that switches ไทย / English; its own label names the other one.
export function langButton() {
	const b = el('button', { type: 'button', class: 'btn btn-ghost btn-sm', id: 'lang-toggle' });
	const label = () => {
		b.textContent = lang === 'th' ? 'English' : 'ไทย';
		b.lang = lang === 'th' ? 'en' : 'th';
		b.setAttribute('aria-label', lang === 'th' ? 'Switch to English' : 'เปลี่ยนเป็นภาษาไทย');
	};
	label();
	b.addEventListener('click', () => setLang(lang === 'th' ? 'en' : 'th'));
	onLang(label);
	return b;
}

// ---- DOM ----

// el(tag, attrs, ...children): attrs may hold text, class, dataset-free
// attributes and on<event> listeners; children are nodes or strings.
export function el(tag, attrs, ...children) {
	const svg = ['svg', 'g', 'rect', 'line', 'text', 'title', 'desc', 'path'].includes(tag);
	const e = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) :
	    document.createElement(tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === undefined || v === null || v === false)
			continue;
		if (k === 'text')
			e.textContent = v;
		else if (k.startsWith('on') && typeof v === 'function')
			e.addEventListener(k.slice(2), v);
		else
			e.setAttribute(k, v === true ? '' : String(v));
	}
	for (const c of children.flat()) {
		if (c === null || c === undefined || c === false)
			continue;
		e.append(c instanceof Node ? c : document.createTextNode(String(c)));
	}
	return e;
}

// Sets a message region; kind "err" or "ok"; '' clears it.
export function say(node, text, kind = 'err') {
	delete node.dataset.i18n;
	delete node.dataset.i18nVars;
	node.className = `msg ${kind}`;
	node.textContent = text || '';
}

// As say(), with a label key, so that the message follows the language.
export function sayT(node, key, vars, kind = 'ok') {
	say(node, t(key, vars), kind);
	node.dataset.i18n = key;
	if (vars)
		node.dataset.i18nVars = JSON.stringify(vars);
}

// ---- numbers and dates ----

export const fmt2 = (v) => (typeof v === 'number' ? v.toFixed(2) : '–');
export const fmtInt = (v) => (typeof v === 'number' ? v.toLocaleString(lang === 'th' ? 'th-TH' : 'en-GB') : '–');

export function fmtTime(unix) {
	if (!unix)
		return '–';
	return new Date(unix * 1000).toLocaleString(lang === 'th' ? 'th-TH' : 'en-GB',
	    { dateStyle: 'medium', timeStyle: 'short' });
}

export function fmtDay(day) {
	if (!day)
		return t('never');
	const d = new Date(`${day}T00:00:00`);
	if (Number.isNaN(d.getTime()))
		return day;
	return d.toLocaleDateString(lang === 'th' ? 'th-TH' : 'en-GB', { dateStyle: 'medium' });
}

// Round id from ?id= (or ?round=), or null.
export function idFromURL(name = 'id') {
	const v = new URLSearchParams(location.search).get(name);
	return v && /^[1-9][0-9]{0,14}$/.test(v) ? Number(v) : null;
}

// ---- API ----

export const csrf = {
	get: () => sessionStorage.getItem(CSRF_KEY),
	set: (v) => sessionStorage.setItem(CSRF_KEY, v),
	clear: () => sessionStorage.removeItem(CSRF_KEY),
};

export function loginURL() {
	const next = location.pathname + location.search;
	return `/admin/login.html?next=${encodeURIComponent(next)}`;
}

// api(method, path, body): never throws; resolves to
// {ok, status, data, code, message, retryAfter}.  A 401 on any page but
// the login page sends the browser to the login page.
export async function api(method, path, body) {
	const headers = { Accept: 'application/json' };
	if (body !== undefined)
		headers['Content-Type'] = 'application/json; charset=utf-8';
	if (method !== 'GET' && csrf.get())
		headers['X-CSRF-Token'] = csrf.get();
	const ctl = new AbortController();
	const timer = setTimeout(() => ctl.abort(), TIMEOUT_MS);
	let res;
	try {
		res = await fetch(path, {
			method, headers,
			body: body === undefined ? undefined : JSON.stringify(body),
			credentials: 'same-origin', cache: 'no-store', signal: ctl.signal,
		});
	} catch (e) {
		clearTimeout(timer);
		return { ok: false, status: 0, code: 'network', message: t('err.network') };
	}
	let data = null;
	try {
		const text = await res.text();
		data = text ? JSON.parse(text) : null;
	} catch (e) {
		data = null;
	}
	clearTimeout(timer);
	const out = { ok: res.ok, status: res.status, data };
	if (!res.ok) {
		const err = data && data.error;
		out.code = (err && err.code) || `http_${res.status}`;
		out.message = errorText(out.code, err && err.message, res.status);
		const ra = Number(res.headers.get('Retry-After'));
		out.retryAfter = Number.isFinite(ra) && ra > 0 ? ra : null;
		if (res.status === 401 && !location.pathname.endsWith('/login.html')) {
			csrf.clear();
			location.assign(loginURL());
		}
	}
	return out;
}

// The server's messages are English and often name the round or field:
// English shows them; Thai shows our text for the code when there is one.
function errorText(code, serverMessage, status) {
	const key = `err.${code}`;
	if (lang === 'en' && serverMessage)
		return serverMessage;
	if (STRINGS[lang][key] !== undefined)
		return t(key);
	if (serverMessage)
		return serverMessage;
	return t('err.status', { status });
}

// ---- the top bar ----

const NAV = [
	['rounds', '/admin/', 'nav.rounds', false],
	['ita', '/admin/ita.html', 'nav.ita', false],
	['audit', '/admin/audit.html', 'nav.audit', true],
];

// boot(page): language, login check, top bar.  Resolves to the session
// ({username, role}) or null after sending the browser to the login page.
export async function boot(page) {
	applyI18n();
	const r = await api('GET', '/api/v1/admin/me');
	if (!r.ok) {
		if (r.status !== 401)
			fatal(r.message);
		return null;
	}
	const me = r.data;
	me.admin = me.role === 'admin';
	document.body.dataset.role = me.role;
	topBar(me, page);
	applyI18n();
	return me;
}

function topBar(me, page) {
	const top = $('top');
	const nav = el('ul', { class: 'nav' });
	for (const [id, href, key, adminOnly] of NAV) {
		if (adminOnly && !me.admin)
			continue;
		nav.append(el('li', null, el('a', { href, 'data-i18n': key,
		    'aria-current': id === page ? 'page' : null })));
	}
	const logout = el('button', { type: 'button', class: 'btn btn-ghost btn-sm', id: 'logout',
	    'data-i18n': 'logout', onclick: doLogout });
	top.replaceChildren(el('div', { class: 'top-inner' },
	    el('a', { class: 'brand', href: '/admin/', 'data-i18n': 'app.name' }),
	    el('nav', { 'aria-label': t('nav.label'), 'data-i18n-attr': 'aria-label:nav.label' }, nav),
	    el('div', { class: 'top-right' },
		el('span', { class: 'who' }, me.username,
		    el('span', { class: 'role-tag', id: 'role-tag', 'data-i18n': `role.${me.role}` })),
		langButton(), logout)));
}

async function doLogout() {
	await api('POST', '/api/v1/admin/logout');
	csrf.clear();
	location.assign('/admin/login.html');
}

// A page that cannot go on: the message in place of main's content.
export function fatal(text) {
	const main = document.querySelector('main');
	main.replaceChildren(el('div', { class: 'card' },
	    el('p', { class: 'msg err', role: 'alert', text })));
}

// Shows the message of a failed change; a missing CSRF token (a tab
// opened without one) gets a way back to the login page.
export function failed(node, r) {
	say(node, r.message);
	if (r.code === 'csrf')
		node.append(' ', el('a', { href: loginURL(), text: t('login.again') }));
}

// Keeps the chosen language across pages even before the session check.
applyI18n();
