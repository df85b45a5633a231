// SPDX-License-Identifier: ISC
// /admin/slips.html: the access codes just issued as A4 slips, ten to a
// page, each with the code and the QR code of its link.  The codes come
// from the round page that opened this window (postMessage, same origin
// only) and live nowhere else: closing or reloading this window after the
// round page has forgotten them loses them, as intended.
//
// The round page also sends the address the links start with (base: its
// publicBase()) and whether the server's --public-url set it; the address
// printed on each slip is that one, and the page warns on screen (never on
// paper) before a loopback or private address is printed.

import { $, el, t, applyI18n, langButton, onLang, addressWarning } from './common.js';

const PER_SHEET = 10;
let data = null;

function parseSvg(text, label) {
	const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
	const svg = document.importNode(doc.documentElement, true);
	svg.setAttribute('role', 'img');
	svg.setAttribute('aria-label', label);
	return svg;
}

// A link as unbreakable pieces with a line-break opportunity (<wbr>)
// between them: after "//", "/", "?", "&", "=" and "#", and before a ".",
// so that a printed link that does not fit on one line breaks between its
// parts, never inside a word or at a hyphen (admin.css: .s-url .u).
function breakableUrl(url) {
	const out = [];
	for (const part of String(url).split(/(?<=[/?&=#])(?!\/)|(?=\.)/))
		out.push(el('span', { class: 'u', text: part }), el('wbr'));
	out.pop();
	return out;
}

function slip(i) {
	const code = data.codes[i];
	const short = `${data.base}/respond/?round=${data.round}`;
	return el('article', { class: 'slip', 'aria-label': t('slips.slip', { n: i + 1 }) },
	    el('div', { class: 's-text' },
		el('p', { class: 's-title', text: t('slips.heading') }),
		el('p', { class: 's-round', text: data.title }),
		el('p', { class: 's-label', text: t('slips.code') }),
		el('p', { class: 's-code', text: code })),
	    el('div', { class: 'qr' }, parseSvg(data.svgs[i], t('slips.qr', { code }))),
	    el('p', { class: 's-how', text: t('slips.how') }),
	    el('p', { class: 's-url' }, breakableUrl(short)));
}

function render() {
	if (!data)
		return;
	const sheets = [];
	for (let i = 0; i < data.codes.length; i += PER_SHEET) {
		const sheet = el('section', { class: 'sheet', 'aria-label': t('slips.sheet', { n: sheets.length + 1 }) });
		for (let j = i; j < Math.min(i + PER_SHEET, data.codes.length); j++)
			sheet.append(slip(j));
		sheets.push(sheet);
	}
	$('sheets').replaceChildren(...sheets);
	$('slips-count').textContent = t('slips.count', { n: data.codes.length, p: sheets.length });
	$('print-btn').disabled = false;
	document.title = `${t('slips.title')} · ${data.title}`;
}

function none() {
	$('slips-empty').hidden = false;
	$('slips-err').textContent = t('slips.none');
	$('print-btn').disabled = true;
	document.body.dataset.ready = '1';
}

window.addEventListener('message', (ev) => {
	if (ev.origin !== location.origin || !ev.data || ev.data.type !== 'ita-slips')
		return;
	if (ev.data.none) {
		none();
		return;
	}
	data = ev.data;
	const w = addressWarning(data.base, data.configured, 'slips-addr-warn');
	if (w)
		$('slips-addr').replaceChildren(w);
	render();
	document.body.dataset.ready = '1';
});

$('slips-actions').prepend(langButton());
$('print-btn').addEventListener('click', () => window.print());
$('close-btn').addEventListener('click', () => window.close());
onLang(render);
applyI18n();
if (window.opener && !window.opener.closed)
	window.opener.postMessage({ type: 'ita-slips-ready' }, location.origin);
else
	none();
// No answer in time: the round page is gone or forgot the codes.
setTimeout(() => {
	if (!data && document.body.dataset.ready !== '1')
		none();
}, 5000);
