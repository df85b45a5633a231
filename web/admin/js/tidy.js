// SPDX-License-Identifier: ISC
// Tidying a round from its page (round.html), for administrators: rename
// it, correct its population, archive or restore it, delete it while it
// has never received a response; void lost or unused access codes, and
// issue replacements for lost slips (codes are shown once, so a slip can
// never be printed again).
//
// round.js owns the page: it calls tidyInit() once and tidyRender(round)
// after every load of the round, and says when codes were issued (the
// 'ita-codes-issued' event) so that a replacement can offer the next step.
// Voiding never shows whether a code had been used, and "void all unused"
// shows no count: the server tells neither (README, "Tidying").

import { $, api, el, t, say, sayT, failed, fmtInt, confirmDialog } from './common.js';

const VOID_MAX = 500;		// codes one request may void (server: CODES_VOID_PER_REQUEST)
const ISSUE_MAX = 5000;		// codes one request may issue (CODES_PER_REQUEST)

let me = null;
let id = null;
let round = null;
let reload = null;		// round.js: () => Promise, reloads and redraws the page
let replacing = 0;		// how many replacement codes were asked for

// ---- a confirmation dialog ----

// common.js's modal dialog, with the red "yes" of a change that cannot
// be undone; its id "tidy-dialog" names it in tests.
function ask({ title, body, yes }) {
	return confirmDialog({ title, body, ok: yes, danger: true, id: 'tidy-dialog' });
}

// ---- rename, population ----

async function change(body, msgKey) {
	const r = await api('PATCH', `/api/v1/admin/rounds/${id}`, body);
	if (!r.ok)
		return r;
	await reload();
	sayT($('tidy-msg'), msgKey, msgKey === 'tidy.pop.done' ? { m: fmtInt(round.minimum) } : null);
	return r;
}

async function rename(ev) {
	ev.preventDefault();
	const input = $('tidy-name');
	const title = input.value.trim();
	input.removeAttribute('aria-invalid');
	if (!title) {
		input.setAttribute('aria-invalid', 'true');
		sayT($('tidy-msg'), 'tidy.rename.err', null, 'err');
		input.focus();
		return;
	}
	$('tidy-rename-btn').disabled = true;
	const r = await change({ title }, 'tidy.rename.done');
	$('tidy-rename-btn').disabled = false;
	if (!r.ok) {
		input.setAttribute('aria-invalid', 'true');
		failed($('tidy-msg'), r);
	}
}

async function setPopulation(ev) {
	ev.preventDefault();
	const input = $('tidy-pop');
	const text = input.value.trim();
	const p = Number(text);
	input.removeAttribute('aria-invalid');
	if (text === '' || !Number.isInteger(p) || p < 0 || p > 100000000) {
		input.setAttribute('aria-invalid', 'true');
		sayT($('tidy-msg'), 'tidy.pop.err', null, 'err');
		input.focus();
		return;
	}
	$('tidy-pop-btn').disabled = true;
	const r = await change({ population: p }, 'tidy.pop.done');
	$('tidy-pop-btn').disabled = false;
	if (!r.ok) {
		input.setAttribute('aria-invalid', 'true');
		failed($('tidy-msg'), r);
	}
}

// ---- archive ----

function renderArchive() {
	const box = $('tidy-archive');
	if (round.archived) {
		box.replaceChildren(el('p', { text: t('tidy.archive.is') }),
		    el('button', { type: 'button', class: 'btn btn-ghost', id: 'tidy-unarchive-btn',
			text: t('tidy.unarchive.btn'), onclick: () => setArchived(false) }));
		return;
	}
	const open = round.state === 'open';
	box.replaceChildren(...[
	    el('button', { type: 'button', class: 'btn btn-ghost', id: 'tidy-archive-btn', text: t('tidy.archive.btn'),
		disabled: open, 'aria-describedby': open ? 'tidy-archive-why' : null, onclick: () => setArchived(true) }),
	    open ? el('p', { class: 'small muted', id: 'tidy-archive-why', text: t('tidy.archive.open') }) : null,
	].filter(Boolean));
}

async function setArchived(archived) {
	const r = await api('PATCH', `/api/v1/admin/rounds/${id}`, { archived });
	if (!r.ok) {
		failed($('tidy-archive-msg'), r);
		return;
	}
	await reload();
	sayT($('tidy-archive-msg'), archived ? 'tidy.archived.done' : 'tidy.unarchived.done');
	const b = $(archived ? 'tidy-unarchive-btn' : 'tidy-archive-btn');
	if (b)
		b.focus();
}

// ---- delete ----

// Only offered for a round that was never opened: one that was open may
// hold answers its counts do not show yet, so the server refuses it
// whatever it shows (README, "Delete").
function renderDelete() {
	const box = $('tidy-delete');
	if (round.opened || round.final) {
		box.replaceChildren(el('p', { class: 'small muted', id: 'tidy-delete-why', text: t('tidy.delete.has') }));
		return;
	}
	box.replaceChildren(el('button', { type: 'button', class: 'btn btn-ghost btn-danger', id: 'tidy-delete-btn',
	    text: t('tidy.delete.btn'), onclick: remove }));
}

async function remove() {
	const yes = await ask({
		title: t('tidy.delete.confirm.title', { title: round.title }),
		body: round.audience === 'internal' ?
		    t('tidy.delete.confirm.codes', { i: fmtInt(round.tokens_issued) }) :
		    t('tidy.delete.confirm.kiosks', { k: fmtInt(round.kiosks) }),
		yes: t('tidy.delete.yes'),
	});
	if (!yes)
		return;
	const r = await api('DELETE', `/api/v1/admin/rounds/${id}`);
	if (!r.ok) {
		failed($('tidy-delete-msg'), r);
		return;
	}
	location.assign('/admin/?deleted=1');
}

// ---- codes: void, replacements ----

// One code a line; lines of the codes CSV ("code,link") give their code,
// and its header line is skipped.
function codeLines() {
	return $('tidy-void-codes').value.split(/\r?\n/).map((s) => s.split(',')[0].trim())
	    .filter((s) => s && s.toLowerCase() !== 'code');
}

async function voidListed(ev) {
	ev.preventDefault();
	const msg = $('tidy-void-msg');
	const area = $('tidy-void-codes');
	const codes = codeLines();
	area.removeAttribute('aria-invalid');
	if (codes.length === 0 || codes.length > VOID_MAX) {
		area.setAttribute('aria-invalid', 'true');
		sayT(msg, codes.length === 0 ? 'tidy.void.none' : 'tidy.void.many', null, 'err');
		area.focus();
		return;
	}
	$('tidy-void-btn').disabled = true;
	const r = await api('POST', `/api/v1/admin/rounds/${id}/tokens/void`, { codes });
	$('tidy-void-btn').disabled = false;
	if (!r.ok) {
		area.setAttribute('aria-invalid', 'true');
		const unknown = r.code === 'unknown_codes' && r.data && r.data.error && r.data.error.unknown;
		if (Array.isArray(unknown)) {
			say(msg, t('tidy.void.unknown', { n: fmtInt(unknown.length) }));
			msg.append(el('ul', { class: 'tidy-unknown', id: 'tidy-unknown' },
			    ...unknown.map((c) => el('li', { class: 'mono', text: c === '' ? '""' : c }))));
		} else {
			failed(msg, r);
		}
		return;
	}
	area.value = '';
	sayT(msg, 'tidy.void.done', { n: fmtInt(r.data.voided) });
	await reload();
}

async function voidAll() {
	const yes = await ask({
		title: t('tidy.void.all.title', { title: round.title }),
		body: t('tidy.void.all.body'),
		yes: t('tidy.void.all.yes'),
	});
	if (!yes)
		return;
	const msg = $('tidy-void-msg');
	const r = await api('POST', `/api/v1/admin/rounds/${id}/tokens/void`, { all_unused: true });
	if (!r.ok) {
		failed(msg, r);
		return;
	}
	sayT(msg, 'tidy.void.all.done');
	await reload();
}

// Replacements are issued by the page's own issue form (round.js shows
// them once, with the CSV and the slips); then the lost codes are voided.
function replace(ev) {
	ev.preventDefault();
	const input = $('tidy-replace-count');
	const n = Number(input.value);
	input.removeAttribute('aria-invalid');
	if (!Number.isInteger(n) || n < 1 || n > ISSUE_MAX) {
		input.setAttribute('aria-invalid', 'true');
		sayT($('tidy-replace-msg'), 'tidy.replace.err', null, 'err');
		input.focus();
		return;
	}
	say($('tidy-replace-msg'), '');
	replacing = n;
	$('issue-count').value = String(n);
	$('issue-form').requestSubmit();
}

function issued(ev) {
	if (!replacing || ev.detail.n !== replacing)
		return;
	replacing = 0;
	const msg = $('tidy-replace-msg');
	sayT(msg, 'tidy.replace.done', { n: fmtInt(ev.detail.n) });
	msg.append(' ', el('button', { type: 'button', class: 'btn btn-sm', id: 'tidy-replace-go',
	    text: t('tidy.replace.go'), onclick: () => $('tidy-void-codes').focus() }));
}

// ---- the page's hooks ----

// Once, after boot: the session (me), the round's id, and a function that
// reloads the round and redraws the page (which calls tidyRender).
export function tidyInit(session, roundId, reloadPage) {
	me = session;
	id = roundId;
	reload = reloadPage;
	if (!me.admin)
		return;
	$('tidy-rename-form').addEventListener('submit', rename);
	$('tidy-pop-form').addEventListener('submit', setPopulation);
	$('tidy-void-form').addEventListener('submit', voidListed);
	$('tidy-void-all').addEventListener('click', voidAll);
	$('tidy-replace-form').addEventListener('submit', replace);
	document.addEventListener('ita-codes-issued', issued);
}

// After every load of the round: the archived note for everyone; the
// controls for administrators, the inputs refilled unless being edited.
export function tidyRender(r) {
	const before = round;
	round = r;
	$('tidy-archived').hidden = !round.archived;
	if (!me || !me.admin)
		return;
	$('tidy').hidden = false;
	$('nav-tidy').hidden = false;
	$('tidy-codes').hidden = round.audience !== 'internal';
	const name = $('tidy-name');
	if (document.activeElement !== name && (!before || before.title !== round.title || !name.value))
		name.value = round.title;
	const pop = $('tidy-pop');
	if (document.activeElement !== pop && (!before || before.population !== round.population || pop.value === ''))
		pop.value = String(round.population);
	renderArchive();
	renderDelete();
}
