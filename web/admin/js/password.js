// SPDX-License-Identifier: ISC
// /admin/password.html: every user, viewers too, changes their own
// password with the current one (POST /api/v1/admin/password).  After a
// login with a temporary password the console sends the user here first
// (boot(), login.js), and here only, until a new one is chosen; then on
// to ?next=.

import { $, api, boot, say, sayT, failed, nextPage } from './common.js';

const PASSWORD_MIN = 8;		// bytes, as server/bounds.h
const PASSWORD_MAX = 256;

let me = null;

const bytes = (s) => new TextEncoder().encode(s).length;

// Marks one field wrong, says why, and puts the focus on it.
function wrong(id, key) {
	$(id).setAttribute('aria-invalid', 'true');
	sayT($('pw-msg'), key, null, 'err');
	$(id).focus();
}

async function submit(ev) {
	ev.preventDefault();
	for (const id of ['pw-current', 'pw-new', 'pw-repeat'])
		$(id).removeAttribute('aria-invalid');
	const current = $('pw-current').value;
	const next = $('pw-new').value;
	if (!current)
		return wrong('pw-current', 'acct.pw.err.current');
	if (bytes(next) < PASSWORD_MIN || bytes(next) > PASSWORD_MAX)
		return wrong('pw-new', 'acct.err.pw');
	if (next === current)
		return wrong('pw-new', 'acct.pw.err.same');
	if ($('pw-repeat').value !== next)
		return wrong('pw-repeat', 'acct.pw.err.repeat');
	$('pw-submit').disabled = true;
	const r = await api('POST', '/api/v1/admin/password', { current, new: next });
	$('pw-submit').disabled = false;
	if (!r.ok) {
		failed($('pw-msg'), r);
		if (r.code === 'wrong_password') {
			$('pw-current').setAttribute('aria-invalid', 'true');
			$('pw-current').value = '';
			$('pw-current').focus();
		}
		return;
	}
	for (const id of ['pw-current', 'pw-new', 'pw-repeat'])
		$(id).value = '';
	if (me.must_change) {
		location.assign(nextPage());
		return;
	}
	sayT($('pw-msg'), 'acct.pw.changed');
}

async function main() {
	me = await boot('password');
	if (!me)
		return;
	$('pw-must').hidden = !me.must_change;
	say($('pw-msg'), '');
	$('pw-form').addEventListener('submit', submit);
	if (me.must_change)
		$('pw-current').focus();
	document.body.dataset.ready = '1';
}

main();
