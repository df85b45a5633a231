// SPDX-License-Identifier: ISC
// /admin/audit.html: the append-only log of admin actions and failed
// logins, newest first, each told in the console's language from the
// server's sentence ("text": {"th", "en"}).  Filters (days, user,
// action) go to the server, so they reach past the newest page; the
// search box narrows what is on screen; the CSV link downloads every
// line the filters match.  Admins only; a viewer is told so.

import { $, api, boot, el, t, L, say, onLang, fmtTime, fatal } from './common.js';

// The action filter's choices: a group ("round") matches "round.*" too.
// (Words in a string, so that strings.test.mjs does not take them for
// label keys.)
const ACTIONS = ['login login.fail',
    'round round.create round.open round.close round.final round.rename round.population',
    'round.archive round.unarchive round.delete',
    'tokens tokens.issue tokens.void tokens.void_unused',
    'kiosk kiosk.add kiosk.change kiosk.revoke export',
    'admin admin.add admin.role admin.disable admin.enable admin.reset admin.password settings.set',
    'oit oit.url.add oit.url.remove oit.item.set',
].join(' ').split(' ');

let lines = [];
let more = false;

function actionLabel(a) {
	const key = `act.${a}`;
	const s = t(key);
	return s === key ? a : s;
}

// A day's first second in this browser's time zone, as unix seconds.
function dayStart(value, next) {
	const d = new Date(`${value}T00:00:00`);
	if (Number.isNaN(d.getTime()))
		return null;
	if (next)
		d.setDate(d.getDate() + 1);
	return Math.floor(d.getTime() / 1000);
}

// The server's query for the filters on screen (without paging).
function query() {
	const q = new URLSearchParams();
	const from = $('f-from').value && dayStart($('f-from').value, false);
	const to = $('f-to').value && dayStart($('f-to').value, true);
	if (from)
		q.set('from', String(from));
	if (to)
		q.set('to', String(to));
	if ($('f-user').value.trim())
		q.set('user', $('f-user').value.trim());
	if ($('f-action').value)
		q.set('action', $('f-action').value);
	return q;
}

function fillActions() {
	const sel = $('f-action');
	const keep = sel.value;
	sel.replaceChildren(el('option', { value: '', text: t('audit.any') }),
	    ...ACTIONS.map((a) => el('option', { value: a,
		text: a.includes('.') || a === 'login' || a === 'export' ? actionLabel(a) : t(`audit.group.${a}`) })));
	sel.value = keep;
}

function render() {
	const f = $('audit-filter').value.trim().toLowerCase();
	const textOf = (l) => L(l.text) || l.detail;
	const shown = f ? lines.filter((l) => [l.user, l.action, actionLabel(l.action), textOf(l)]
	    .some((s) => String(s).toLowerCase().includes(f))) : lines;
	$('audit-count').textContent = t('audit.count', { n: shown.length, m: lines.length });
	$('audit-more').hidden = !more;
	$('audit-csv').href = `/api/v1/admin/audit?${query()}&format=csv`;
	$('f-users').replaceChildren(...[...new Set(lines.map((l) => l.user))].sort()
	    .map((u) => el('option', { value: u })));
	if (shown.length === 0) {
		$('audit-body').replaceChildren(el('tr', null, el('td', { colspan: 4, class: 'empty', text: t('audit.none') })));
		return;
	}
	$('audit-body').replaceChildren(...shown.map((l) => el('tr', {
	    'data-action': l.action, class: l.action.endsWith('.fail') ? 'audit-fail' : null },
	    el('td', { class: 'nowrap', text: fmtTime(l.at) }),
	    el('td', { text: l.user }),
	    el('td', null, actionLabel(l.action), el('div', { class: 'small muted mono', text: l.action })),
	    el('td', { text: textOf(l) }))));
}

// Loads the first page for the filters, or (older) the next one.
async function load(older) {
	const q = query();
	if (older && lines.length)
		q.set('before', String(lines[lines.length - 1].id));
	const r = await api('GET', `/api/v1/admin/audit?${q}`);
	if (!r.ok) {
		if (r.status === 403)
			fatal(t('audit.admins'));
		else
			say($('audit-msg'), r.message);
		return;
	}
	say($('audit-msg'), '');
	lines = older ? lines.concat(r.data.audit) : r.data.audit;
	more = r.data.more;
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
	fillActions();
	$('audit-filter').addEventListener('input', render);
	$('audit-filters').addEventListener('submit', (e) => {
		e.preventDefault();
		load(false);
	});
	$('f-clear').addEventListener('click', () => {
		for (const id of ['f-from', 'f-to', 'f-user', 'f-action', 'audit-filter'])
			$(id).value = '';
		load(false);
	});
	$('refresh').addEventListener('click', () => load(false));
	$('audit-more').addEventListener('click', () => load(true));
	onLang(() => {
		fillActions();
		render();
	});
	await load(false);
	document.body.dataset.ready = '1';
}

main();
