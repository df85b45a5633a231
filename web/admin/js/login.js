// SPDX-License-Identifier: ISC
// The login page: POST /api/v1/admin/login, keep the CSRF token in
// sessionStorage, then go where ?next= said (only pages under /admin/),
// by the password page when the password is a temporary one.

import { $, api, csrf, langButton, say, t, onLang, applyI18n, nextPage, passwordURL } from './common.js';

let lastError = null;

function showError() {
	if (!lastError) {
		say($('login-msg'), '');
		return;
	}
	const { code, retryAfter } = lastError;
	let text;
	if (code === 'locked' || code === 'rate_limited')
		text = t(`err.${code}.wait`, { m: Math.max(1, Math.ceil((retryAfter || 60) / 60)) });
	else if (code === 'unauthorized')
		text = t('err.login');
	else
		text = lastError.message;
	say($('login-msg'), text);
}

async function submit(ev) {
	ev.preventDefault();
	const username = $('username').value.trim();
	const password = $('password').value;
	if (!username || !password) {
		lastError = { code: 'missing', message: t('login.missing') };
		showError();
		(username ? $('password') : $('username')).focus();
		return;
	}
	$('login-btn').disabled = true;
	const r = await api('POST', '/api/v1/admin/login', { username, password });
	$('login-btn').disabled = false;
	if (!r.ok) {
		lastError = r;
		showError();
		$('password').value = '';
		$('password').focus();
		return;
	}
	csrf.set(r.data.csrf_token);
	// A temporary password: choose one's own first, then go on.
	location.assign(r.data.must_change ? passwordURL(nextPage()) : nextPage());
}

$('login-top').append(langButton());
onLang(showError);
applyI18n();
$('login-form').addEventListener('submit', submit);
document.body.dataset.ready = '1';
