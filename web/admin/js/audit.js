// SPDX-License-Identifier: ISC
// /admin/audit.html: the append-only log of admin actions, newest first
// (the server sends at most 500).  Admins only; a viewer is told so.

import { $, api, boot, el, t, say, onLang, fmtTime, fatal } from './common.js';

let lines = [];

function actionLabel(a) {
	const key = `act.${a}`;
	const s = t(key);
	return s === key ? a : s;
}

function render() {
	const f = $('audit-filter').value.trim().toLowerCase();
	const shown = f ? lines.filter((l) => [l.user, l.action, actionLabel(l.action), l.detail]
	    .some((s) => String(s).toLowerCase().includes(f))) : lines;
	$('audit-count').textContent = t('audit.count', { n: shown.length, m: lines.length });
	if (shown.length === 0) {
		$('audit-body').replaceChildren(el('tr', null, el('td', { colspan: 4, class: 'empty', text: t('audit.none') })));
		return;
	}
	$('audit-body').replaceChildren(...shown.map((l) => el('tr', { 'data-action': l.action },
	    el('td', { class: 'nowrap', text: fmtTime(l.at) }),
	    el('td', { text: l.user }),
	    el('td', null, actionLabel(l.action), el('div', { class: 'small muted mono', text: l.action })),
	    el('td', { text: l.detail }))));
}

async function load() {
	const r = await api('GET', '/api/v1/admin/audit');
	if (!r.ok) {
		if (r.status === 403)
			fatal(t('audit.admins'));
		else
			say($('audit-msg'), r.message);
		return;
	}
	say($('audit-msg'), '');
	lines = r.data.audit;
	render();
}

async function main() {
	const me = await boot('audit');
	if (!me)
		return;
	if (!me.admin) {
		fatal(t('audit.admins'));
		document.body.dataset.ready = '1';
		return;
	}
	$('audit-filter').addEventListener('input', render);
	$('refresh').addEventListener('click', load);
	onLang(render);
	await load();
	document.body.dataset.ready = '1';
}

main();
