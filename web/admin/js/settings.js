// SPDX-License-Identifier: ISC
// /admin/settings.html: what applies to every round, for now the
// agency's name that every XLSX export carries.  An admin edits it; a
// viewer sees it read-only (and the server refuses changes anyway).

import { $, api, boot, t, say, sayT, failed } from './common.js';

// The server's bound (bounds.h AGENCY_MAX), in UTF-8 bytes.
const AGENCY_MAX = 200;

const bytes = (s) => new TextEncoder().encode(s).length;

function show(settings) {
	$('s-agency').value = settings.agency ?? '';
}

async function load() {
	const r = await api('GET', '/api/v1/admin/settings');
	if (!r.ok) {
		say($('settings-msg'), r.message);
		return false;
	}
	show(r.data.settings);
	return true;
}

async function save(e) {
	e.preventDefault();
	const msg = $('settings-msg');
	const input = $('s-agency');
	const agency = input.value.trim();
	input.removeAttribute('aria-invalid');
	if (bytes(agency) > AGENCY_MAX) {
		input.setAttribute('aria-invalid', 'true');
		sayT(msg, 'settings.agency.long', { n: AGENCY_MAX }, 'err');
		input.focus();
		return;
	}
	$('settings-save').disabled = true;
	const r = await api('PUT', '/api/v1/admin/settings', { agency });
	$('settings-save').disabled = false;
	if (!r.ok) {
		if (r.code === 'bad_agency')
			input.setAttribute('aria-invalid', 'true');
		failed(msg, r);
		return;
	}
	show(r.data.settings);
	sayT(msg, agency === '' ? 'settings.agency.cleared' : 'settings.saved');
}

async function main() {
	const me = await boot('settings');
	if (!me)
		return;
	if (me.admin) {
		$('settings-save').hidden = false;
		$('settings-form').addEventListener('submit', save);
	} else {
		$('settings-readonly').hidden = false;
		$('s-agency').readOnly = true;
		$('settings-form').addEventListener('submit', (e) => e.preventDefault());
	}
	await load();
	document.body.dataset.ready = '1';
}

main();
