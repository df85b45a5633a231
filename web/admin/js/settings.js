// SPDX-License-Identifier: ISC
// /admin/settings.html: what applies to every round, for now the
// agency's name that every XLSX export carries, and the OIT evidence
// desk's settings ("oit.*": main website, schedule, alerts, copies,
// checklist), each saved with its own button.  An admin edits them; a
// viewer sees them read-only (and the server refuses changes anyway).
// The rule of each OIT value is the server's (oitconf.c): the page turns
// minutes into seconds and megabytes into bytes, sends only what
// changed, and marks the field a refusal names.

import { $, api, boot, t, say, sayT, failed } from './common.js';

// The server's bound (bounds.h AGENCY_MAX), in UTF-8 bytes.
const AGENCY_MAX = 200;

const bytes = (s) => new TextEncoder().encode(s).length;

function show(settings) {
	$('s-agency').value = settings.agency ?? '';
}

// The OIT desk's settings: field, name after "oit.", how the field shows
// the stored value (min: seconds as minutes; mb: bytes as megabytes), and
// its label.  The names are joined, not written whole: they are setting
// names, not label keys (tests/browser/strings.test.mjs).
const OIT = [
	['s-oit-host', 'host', 'text', 'oitset.host'],
	['s-oit-interval', 'interval', 'min', 'oitset.interval'],
	['s-oit-strict-from', 'strict_from', 'day', 'oitset.strict_from'],
	['s-oit-strict-to', 'strict_to', 'day', 'oitset.strict_to'],
	['s-oit-strict-interval', 'strict_interval', 'min', 'oitset.strict_interval'],
	['s-oit-timeout', 'timeout', 'int', 'oitset.timeout'],
	['s-oit-fails', 'fails', 'int', 'oitset.fails'],
	['s-oit-cert-days', 'cert_days', 'int', 'oitset.cert_days'],
	['s-oit-smtp-url', 'smtp_url', 'text', 'oitset.smtp_url'],
	['s-oit-smtp-user', 'smtp_user', 'text', 'oitset.smtp_user'],
	['s-oit-mail-from', 'mail_from', 'text', 'oitset.mail_from'],
	['s-oit-mail-to', 'mail_to', 'text', 'oitset.mail_to'],
	['s-oit-webhook', 'webhook', 'text', 'oitset.webhook'],
	['s-oit-copy-max', 'copy_max', 'mb', 'oitset.copy_max'],
	['s-oit-copy-quota', 'copy_quota', 'mb', 'oitset.copy_quota'],
	['s-oit-checklist', 'checklist', 'text', 'oitset.checklist'],
].map(([id, name, kind, label]) => ({ id, name: ['oit', name].join('.'), kind, label }));

const UNIT = { min: 60, mb: 1048576 };
let stored = {};	// the oit.* values as the server has them

// A stored value as its field shows it: "900" seconds as "15" minutes.
function shown(f, v) {
	if (!v || !UNIT[f.kind] || !/^[0-9]+$/.test(v))
		return v || '';
	return String(Number((Number(v) / UNIT[f.kind]).toFixed(2)));
}

// A field's value as the server stores it, or null when it is no number.
function storedForm(f, v) {
	v = v.trim();
	if (v === '' || f.kind === 'text' || f.kind === 'day')
		return v;
	if (f.kind === 'int')
		return /^[0-9]+$/.test(v) ? String(Number(v)) : null;
	const n = Number(v.replace(',', '.'));
	return Number.isFinite(n) && n >= 0 ? String(Math.round(n * UNIT[f.kind])) : null;
}

function showOit(settings) {
	stored = {};
	for (const f of OIT) {
		stored[f.name] = settings[f.name] ?? '';
		$(f.id).value = shown(f, stored[f.name]);
	}
}

function markBad(f) {
	$(f.id).setAttribute('aria-invalid', 'true');
	sayT($('oitset-msg'), 'oitset.bad', { f: t(f.label) }, 'err');
	$(f.id).focus();
}

async function saveOit(e) {
	e.preventDefault();
	const msg = $('oitset-msg');
	const changes = {};
	for (const f of OIT)
		$(f.id).removeAttribute('aria-invalid');
	for (const f of OIT) {
		const v = storedForm(f, $(f.id).value);
		if (v === null) {
			markBad(f);
			return;
		}
		if (v !== stored[f.name])
			changes[f.name] = v;
	}
	if (Object.keys(changes).length === 0) {
		sayT(msg, 'oitset.unchanged');
		return;
	}
	$('oitset-save').disabled = true;
	const r = await api('PUT', '/api/v1/admin/settings', changes);
	$('oitset-save').disabled = false;
	if (!r.ok) {
		// The server names the setting whose value breaks its rule.
		const said = (r.data && r.data.error && r.data.error.message) || '';
		const f = r.code === 'bad_oit_setting' && OIT.find((x) => said.includes(`"${x.name}"`));
		if (f)
			markBad(f);
		else
			failed(msg, r);
		return;
	}
	showOit(r.data.settings);
	sayT(msg, 'settings.saved');
}

async function load() {
	const r = await api('GET', '/api/v1/admin/settings');
	if (!r.ok) {
		say($('settings-msg'), r.message);
		return false;
	}
	show(r.data.settings);
	showOit(r.data.settings);
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
		$('oitset-save').hidden = false;
		$('oitset-form').addEventListener('submit', saveOit);
	} else {
		$('settings-readonly').hidden = false;
		$('s-agency').readOnly = true;
		$('settings-form').addEventListener('submit', (e) => e.preventDefault());
		$('oitset-readonly').hidden = false;
		for (const f of OIT)
			$(f.id).readOnly = true;
		$('oitset-form').addEventListener('submit', (e) => e.preventDefault());
	}
	await load();
	document.body.dataset.ready = '1';
}

main();
