// SPDX-License-Identifier: ISC
// /admin/accounts.html: the console's accounts, for administrators only
// (a viewer is told so, and where to change their own password).  List;
// add one with a password or a temporary one; make an account a viewer
// or an administrator; disable and enable; reset a password.  Every
// change but enabling asks first (a <dialog>).  A temporary password is
// shown once, in a marked box with a copy button, and is gone when the
// box is closed or the page left: the server keeps no readable copy.
// The server's refusals (the last administrator, one's own account) are
// shown as they come, in the current language.

import { $, api, boot, el, t, say, sayT, failed, onLang, fmtTime, confirmDialog } from './common.js';

const USERNAME_RE = /^[A-Za-z0-9._@+-]{1,64}$/;	// as server/accounts.c
const PASSWORD_MIN = 8;		// bytes, as server/bounds.h
const PASSWORD_MAX = 256;

let me = null;
let accounts = [];
let once = null;	// {user, password}: the temporary password shown now

const bytes = (s) => new TextEncoder().encode(s).length;
const roleKey = (role) => (role === 'admin' ? 'role.admin' : 'role.viewer');
const mine = (a) => a.username === me.username;

// ---- confirmation ----

// Asks first (common.js's modal dialog); resolves true for yes.
function ask(title, body, yesKey = 'acct.confirm.yes', danger = false) {
	return confirmDialog({ title, body, ok: t(yesKey), danger });
}

// ---- the list ----

function stateCell(a) {
	return el('div', { class: 'badges' },
	    el('span', { class: `badge ${a.disabled ? 'revoked' : 'open'}`,
		text: t(a.disabled ? 'acct.disabled' : 'acct.active') }),
	    a.must_change ? el('span', { class: 'badge warn', text: t('acct.must_change') }) : null);
}

function actionButton(a, act, key, onclick, danger = false) {
	const text = t(key);
	return el('button', { type: 'button', class: `btn btn-sm btn-ghost${danger ? ' btn-danger' : ''}`,
	    'data-act': act, 'aria-label': t('acct.aria', { action: text, user: a.username }), text, onclick });
}

function actionsCell(a) {
	const role = a.role === 'admin' ?
	    actionButton(a, 'viewer', 'acct.make.viewer', () => setRole(a, 'viewer')) :
	    actionButton(a, 'admin', 'acct.make.admin', () => setRole(a, 'admin'));
	const state = a.disabled ?
	    actionButton(a, 'enable', 'acct.enable', () => setDisabled(a, false)) :
	    actionButton(a, 'disable', 'acct.disable', () => setDisabled(a, true), true);
	// One's own password is changed with the current one, not reset.
	const password = mine(a) ?
	    el('a', { class: 'btn btn-sm btn-ghost', href: '/admin/password.html', 'data-act': 'own',
		text: t('acct.own') }) :
	    actionButton(a, 'reset', 'acct.reset', () => reset(a), true);
	return el('div', { class: 'btns' }, role, state, password);
}

function render() {
	const body = $('acct-body');
	if (accounts.length === 0) {
		body.replaceChildren(el('tr', null, el('td', { colspan: 5, class: 'empty', text: t('acct.none') })));
		return;
	}
	body.replaceChildren(...accounts.map((a) => el('tr', { 'data-account': a.id, 'data-user': a.username },
	    el('td', { 'data-label': t('acct.col.user') },
		el('span', { class: 'uname', text: a.username }),
		mine(a) ? el('span', { class: 'small muted you', text: ` ${t('acct.you')}` }) : null),
	    el('td', { 'data-label': t('acct.col.role'), 'data-role': a.role, text: t(roleKey(a.role)) }),
	    el('td', { 'data-label': t('acct.col.state'), class: 'state' }, stateCell(a)),
	    el('td', { 'data-label': t('acct.col.created'), text: fmtTime(a.created_at) }),
	    el('td', { 'data-label': t('acct.col.actions') }, actionsCell(a)))));
}

async function load() {
	const r = await api('GET', '/api/v1/admin/accounts');
	if (!r.ok) {
		if (r.status === 403 && r.code === 'forbidden')
			adminsOnly();
		else
			failed($('acct-msg'), r);
		return;
	}
	accounts = r.data.accounts;
	render();
}

// ---- the temporary password, shown once ----

function renderOnce() {
	const box = $('once-panel');
	if (!once) {
		box.replaceChildren();
		return;
	}
	const vars = { user: once.user };
	box.replaceChildren(el('div', { class: 'once', id: 'acct-once', role: 'region', 'aria-labelledby': 'once-title' },
	    el('h3', { id: 'once-title', tabindex: '-1', text: t('acct.once.title', vars) }),
	    el('p', null, el('strong', { text: t('acct.once.never') }), ' ', t('acct.once.body', vars)),
	    el('p', null, el('span', { class: 'small muted', text: t('acct.once.label') }), el('br'),
		el('span', { class: 'secret', id: 'temp-password', text: once.password })),
	    el('div', { class: 'btns' },
		el('button', { type: 'button', class: 'btn', id: 'copy-temp', text: t('acct.copy'), onclick: copyTemp }),
		el('button', { type: 'button', class: 'btn btn-ghost', id: 'once-hide', text: t('acct.once.hide'),
		    onclick: hideOnce })),
	    el('p', { id: 'copy-msg', class: 'msg', role: 'status' })));
}

function showOnce(user, password) {
	once = { user, password };
	renderOnce();
	$('once-title').focus();
}

function hideOnce() {
	once = null;
	renderOnce();
	$('acct-list-title').focus();
}

async function copyTemp() {
	try {
		await navigator.clipboard.writeText(once.password);
		sayT($('copy-msg'), 'acct.copied');
	} catch (e) {
		// No clipboard (an insecure origin, a refused permission): select
		// the text so that Ctrl+C copies it.
		const range = document.createRange();
		range.selectNodeContents($('temp-password'));
		getSelection().removeAllRanges();
		getSelection().addRange(range);
		sayT($('copy-msg'), 'acct.copy.failed', null, 'err');
	}
}

// ---- changes ----

async function patch(a, body, doneKey) {
	const r = await api('PATCH', `/api/v1/admin/accounts/${a.id}`, body);
	if (!r.ok) {
		failed($('acct-msg'), r);
		return;
	}
	say($('add-msg'), '');
	sayT($('acct-msg'), doneKey, { user: a.username });
	if (mine(a) && body.role === 'viewer') {
		// No longer an administrator: this page is not for us any more.
		location.assign('/admin/');
		return;
	}
	await load();
}

async function setRole(a, role) {
	const k = role === 'admin' ? 'admin' : 'viewer';
	const vars = { user: a.username };
	if (!await ask(t(k === 'admin' ? 'acct.confirm.admin.title' : 'acct.confirm.viewer.title', vars),
	    t(k === 'admin' ? 'acct.confirm.admin.body' : 'acct.confirm.viewer.body', vars)))
		return;
	await patch(a, { role }, k === 'admin' ? 'acct.done.admin' : 'acct.done.viewer');
}

async function setDisabled(a, disabled) {
	const vars = { user: a.username };
	if (disabled && !await ask(t('acct.confirm.disable.title', vars), t('acct.confirm.disable.body', vars),
	    'acct.disable', true))
		return;
	await patch(a, { disabled }, disabled ? 'acct.done.disable' : 'acct.done.enable');
}

async function reset(a) {
	const vars = { user: a.username };
	if (!await ask(t('acct.confirm.reset.title', vars), t('acct.confirm.reset.body', vars), 'acct.reset', true))
		return;
	const r = await api('POST', `/api/v1/admin/accounts/${a.id}/reset`);
	if (!r.ok) {
		failed($('acct-msg'), r);
		return;
	}
	say($('acct-msg'), '');
	say($('add-msg'), '');
	showOnce(a.username, r.data.temporary_password);
	await load();
}

// ---- adding ----

function pwMode() {
	const set = $('add-set').checked;
	$('add-pw-field').hidden = !set;
	if (!set)
		$('add-pw').value = '';
}

function invalid(id, key) {
	$(id).setAttribute('aria-invalid', 'true');
	sayT($('add-msg'), key, null, 'err');
	$(id).focus();
}

async function add(ev) {
	ev.preventDefault();
	$('add-user').removeAttribute('aria-invalid');
	$('add-pw').removeAttribute('aria-invalid');
	const username = $('add-user').value.trim();
	const role = $('add-role').value;
	const body = { username, role };
	if (!USERNAME_RE.test(username))
		return invalid('add-user', 'acct.err.user');
	if ($('add-set').checked) {
		const pw = $('add-pw').value;
		if (bytes(pw) < PASSWORD_MIN || bytes(pw) > PASSWORD_MAX)
			return invalid('add-pw', 'acct.err.pw');
		body.password = pw;
	}
	$('add-btn').disabled = true;
	const r = await api('POST', '/api/v1/admin/accounts', body);
	$('add-btn').disabled = false;
	if (!r.ok) {
		failed($('add-msg'), r);
		if (r.code === 'user_exists' || r.code === 'bad_username')
			$('add-user').focus();
		return;
	}
	$('add-user').value = '';
	$('add-pw').value = '';
	sayT($('add-msg'), 'acct.done.add', { user: r.data.account.username });
	if (r.data.temporary_password)
		showOnce(r.data.account.username, r.data.temporary_password);
	await load();
}

// ---- the page ----

// A viewer (or an administrator demoted meanwhile): no accounts, but the
// way to their own password.
function adminsOnly() {
	document.querySelector('main').replaceChildren(el('div', { class: 'card' },
	    el('p', { class: 'msg err', role: 'alert', id: 'acct-admins', text: t('acct.admins') }),
	    el('p', null, el('a', { href: '/admin/password.html', text: t('acct.own') }))));
}

async function main() {
	me = await boot('accounts');
	if (!me)
		return;
	if (!me.admin) {
		adminsOnly();
		document.body.dataset.ready = '1';
		return;
	}
	$('refresh').addEventListener('click', load);
	$('add-form').addEventListener('submit', add);
	$('add-gen').addEventListener('change', pwMode);
	$('add-set').addEventListener('change', pwMode);
	pwMode();
	onLang(() => {
		render();
		renderOnce();
	});
	await load();
	document.body.dataset.ready = '1';
}

main();
