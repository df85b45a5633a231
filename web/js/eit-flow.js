// SPDX-License-Identifier: ISC
// The one-question-per-screen EIT flow shared by the kiosk (/kiosk/) and the
// public page (/eit/): start screen, one screen per question with a back
// button and a progress bar, a send screen, and a thank-you screen.
//
// The flow builds its screens inside opts.root. The page gives it the form
// and a submit(answers, submissionId) function that resolves to
// {ok: true} or {ok: false, key, vars, wait, final}.
//
// Idle reset: with opts.idleSeconds set, answers are discarded and the start
// screen comes back after that many seconds without a touch or key; a
// countdown shows for the last 15 seconds (the whole time when shorter).

import { el } from '../lib/dom.js';
import { newUUID, showScreen } from './api.js';
import { t, pick, getLang, setLang, onLangChange } from './i18n.js';
import { questions, options, sameText, cleanAnswers } from './formdoc.js';

const WARN_SECONDS = 15;

// Replaces node's children, skipping the null ones (an absent part).
function fill(node, ...kids) {
	node.replaceChildren(...kids.filter((k) => k !== null && k !== undefined && k !== false));
}
const AUTO_ADVANCE_MS = 350;

export function createFlow(opts) {
	const root = opts.root;
	const f = {
		form: null,
		list: [],
		answers: {},
		index: 0,
		submissionId: null,
		screen: null,
		busy: false,
		lastActivity: Date.now(),
		lastPointer: 0,
		thanksLeft: 0,
		msg: null,
		startMsg: null,
	};
	let advanceTimer = null;
	let thanksTimer = null;
	let waitTimer = null;

	// ---- the screens' frames (filled by render*) ----
	const scrStart = el('section', { id: 'screen-start', class: 'k-screen k-start', 'data-screen': true, hidden: true });
	const scrQ = el('section', { id: 'screen-question', class: 'k-screen k-question', 'data-screen': true, hidden: true });
	const scrFinish = el('section', { id: 'screen-finish', class: 'k-screen k-finish', 'data-screen': true, hidden: true });
	const scrThanks = el('section', { id: 'screen-thanks', class: 'k-screen k-thanks', 'data-screen': true, hidden: true });
	const idleText = el('p', { class: 'idle-text', id: 'idle-text' });
	const idleBtn = el('button', { type: 'button', class: 'k-btn idle-btn', id: 'idle-continue', onclick: () => activity() });
	const idleBanner = el('div', { class: 'idle-banner', id: 'idle-banner', role: 'status', hidden: true },
	    el('p', { class: 'idle-title', id: 'idle-title' }), idleText, idleBtn);
	root.append(scrStart, scrQ, scrFinish, scrThanks);
	document.body.append(idleBanner);

	function persist() {
		if (!opts.storageKey)
			return;
		try {
			if (Object.keys(f.answers).length)
				sessionStorage.setItem(opts.storageKey, JSON.stringify({ answers: f.answers, submissionId: f.submissionId }));
			else
				sessionStorage.removeItem(opts.storageKey);
		} catch (e) { /* ignore */ }
	}

	function restore() {
		if (!opts.storageKey)
			return;
		try {
			const s = JSON.parse(sessionStorage.getItem(opts.storageKey) || 'null');
			if (s && s.answers) {
				f.answers = cleanAnswers(f.form, s.answers);
				f.submissionId = s.submissionId || null;
			}
		} catch (e) { /* ignore */ }
	}

	function go(screen, focus = true) {
		f.screen = screen;
		clearTimeout(advanceTimer);
		showScreen(screen, focus);
	}

	// ---- start ----

	function langButtons() {
		const mk = (l, label) => el('button', {
			type: 'button', class: 'k-btn k-lang', lang: l,
			'aria-pressed': getLang() === l ? 'true' : 'false',
			onclick: () => setLang(l),
		}, label);
		return el('div', { class: 'k-langs', role: 'group', 'aria-label': t('eit.lang') },
		    mk('th', 'ภาษาไทย'), mk('en', 'English'));
	}

	function renderStart() {
		const n = f.list.length;
		const mins = Math.max(1, Math.round(n * 10 / 60));
		const startBtn = el('button', { type: 'button', class: 'k-btn k-primary k-startbtn', id: 'start-btn',
			onclick: begin }, t('eit.start'));
		fill(scrStart,
		    el('h1', { id: 'start-title', text: f.form ? pick(f.form.title) : '' }),
		    el('p', { class: 'k-lead', text: t('eit.start.lead', { n, m: mins }) }),
		    el('p', { class: 'k-privacy', text: t('eit.privacy') }),
		    langButtons(),
		    f.startMsg ? el('p', { class: 'k-msg k-msg-error', role: 'alert', text: t(f.startMsg) }) : null,
		    f.startMsg ? null : startBtn);
	}

	function begin() {
		activity();
		if (!f.submissionId)
			f.submissionId = newUUID();
		f.index = 0;
		renderQuestion();
		go('screen-question');
	}

	// ---- one question ----

	function topBar(backAction) {
		const n = f.list.length;
		const k = f.screen === 'screen-finish' ? n : f.index + 1;
		const other = getLang() === 'th' ? 'en' : 'th';
		return el('div', { class: 'k-top' },
		    el('button', { type: 'button', class: 'k-btn k-back', id: 'back-btn', onclick: backAction },
			el('span', { 'aria-hidden': 'true', text: '‹ ' }), t('eit.back')),
		    el('div', { class: 'k-progress' },
			el('label', { for: 'k-progress', id: 'k-progress-label', text: t('eit.progress', { k, n }) }),
			el('progress', { id: 'k-progress', max: String(n || 1), value: String(k) })),
		    el('button', { type: 'button', class: 'k-btn k-langsmall', lang: other, id: 'lang-small',
			onclick: () => setLang(other) }, other === 'en' ? 'English' : 'ภาษาไทย'));
	}

	function renderQuestion() {
		f.screen = 'screen-question';
		const e = f.list[f.index];
		const q = e.q;
		const stem = e.subCount > 1 || (q.text && !sameText(q.text, e.item.text)) ? pick(e.item.text) : null;
		const text = q.text ? pick(q.text) : pick(e.item.text);
		const box = el('div', { class: 'k-options' });
		for (const o of options(f.form, q)) {
			const id = `k-a-${o.value}`;
			const input = el('input', { type: 'radio', name: 'answer', value: o.value, id });
			if (f.answers[q.code] === o.value)
				input.checked = true;
			box.append(el('label', { class: 'k-opt', for: id }, input, el('span', { text: pick(o.label) })));
		}
		const need = el('p', { class: 'k-msg k-msg-error', id: 'need-msg', role: 'alert' });
		const fs = el('fieldset', { class: 'k-fieldset', 'data-code': q.code, 'aria-describedby': 'need-msg' },
		    el('legend', null,
			stem ? el('span', { class: 'k-stem', text: stem }) : null,
			el('h1', { class: 'k-qtext', id: 'q-title' }, text)),
		    box);
		fs.addEventListener('pointerdown', () => { f.lastPointer = Date.now(); });
		fs.addEventListener('change', (ev) => {
			f.answers[q.code] = ev.target.value;
			persist();
			need.textContent = '';
			clearTimeout(advanceTimer);
			// Tapping an answer moves on; choosing with the keyboard does not
			// (arrow keys would skip questions), the Next button does.
			if (Date.now() - f.lastPointer < 1500)
				advanceTimer = setTimeout(() => { if (f.list[f.index] === e) next(); }, AUTO_ADVANCE_MS);
		});
		fill(scrQ,
		    topBar(back),
		    el('p', { class: 'k-part', text: pick(e.indicator.name) }),
		    fs, need,
		    el('div', { class: 'k-nav' },
			el('button', { type: 'button', class: 'k-btn k-primary k-next', id: 'next-btn', onclick: next },
			    t('eit.next'), el('span', { 'aria-hidden': 'true', text: ' ›' }))));
	}

	function next() {
		activity();
		const e = f.list[f.index];
		if (e.q.required && f.answers[e.q.code] === undefined) {
			const need = document.getElementById('need-msg');
			need.textContent = t('eit.need');
			return;
		}
		if (f.index + 1 < f.list.length) {
			f.index++;
			renderQuestion();
			go('screen-question');
		} else {
			f.msg = null;
			f.screen = 'screen-finish';
			renderFinish();
			go('screen-finish');
		}
	}

	function back() {
		activity();
		if (f.screen === 'screen-finish') {
			f.index = f.list.length - 1;
		} else if (f.index === 0) {
			go('screen-start');
			return;
		} else {
			f.index--;
		}
		renderQuestion();
		go('screen-question');
	}

	// ---- send ----

	function renderFinish() {
		const sending = f.busy;
		fill(scrFinish,
		    topBar(back),
		    el('h1', { id: 'finish-title', text: t('eit.finish.title') }),
		    el('p', { class: 'k-lead', text: t('eit.finish.lead') }),
		    el('p', { class: 'k-msg', id: 'send-status', role: 'status', text: sending ? t('eit.sending') : '' }),
		    el('div', { class: 'k-msg k-msg-error', id: 'send-msg', role: 'alert' },
			f.msg ? t(f.msg.key, f.msg.vars) : ''),
		    el('div', { class: 'k-nav' },
			f.msg && f.msg.final ? null :
			el('button', { type: 'button', class: 'k-btn k-primary k-send', id: 'send-btn',
			    disabled: sending || f.waiting ? true : null, onclick: send },
			    t(f.msg ? 'eit.retry' : 'eit.submit'))));
	}

	async function send() {
		if (f.busy)
			return;
		activity();
		f.busy = true;
		f.msg = null;
		renderFinish();
		let res;
		try {
			res = await opts.submit(cleanAnswers(f.form, f.answers), f.submissionId);
		} catch (e) {
			res = { ok: false, key: 'err.server' };
		}
		f.busy = false;
		if (res.ok) {
			f.answers = {};
			f.submissionId = null;
			persist();
			showThanks();
			return;
		}
		f.msg = { key: res.key, vars: res.vars, final: res.final };
		if (res.wait) {
			f.waiting = true;
			clearTimeout(waitTimer);
			waitTimer = setTimeout(() => {
				f.waiting = false;
				if (f.screen === 'screen-finish')
					send();
			}, res.wait * 1000);
		}
		if (f.screen === 'screen-finish')
			renderFinish();
	}

	// ---- thank you ----

	function renderThanks() {
		const auto = opts.thanksSeconds;
		fill(scrThanks,
		    el('div', { class: 'k-check', 'aria-hidden': 'true', text: '✓' }),
		    el('h1', { id: 'thanks-title', text: t('eit.thanks.title') }),
		    el('p', { class: 'k-lead', text: t('eit.thanks.lead') }),
		    auto ? el('p', { class: 'k-countdown', id: 'thanks-countdown', text: t('eit.thanks.return', { s: f.thanksLeft }) })
			: el('p', { class: 'k-lead', text: t('eit.thanks.close') }),
		    auto ? el('button', { type: 'button', class: 'k-btn k-primary', id: 'thanks-done', onclick: reset }, t('eit.thanks.done'))
			: null);
	}

	function showThanks() {
		f.screen = 'screen-thanks';
		f.thanksLeft = opts.thanksSeconds || 0;
		renderThanks();
		go('screen-thanks');
		clearInterval(thanksTimer);
		if (opts.thanksSeconds) {
			thanksTimer = setInterval(() => {
				f.thanksLeft--;
				if (f.thanksLeft <= 0) {
					reset();
					return;
				}
				const p = document.getElementById('thanks-countdown');
				if (p)
					p.textContent = t('eit.thanks.return', { s: f.thanksLeft });
			}, 1000);
		}
	}

	// ---- reset and idle ----

	// Discards everything about the person who was here and shows the start.
	function reset() {
		clearInterval(thanksTimer);
		clearTimeout(advanceTimer);
		clearTimeout(waitTimer);
		f.answers = {};
		f.submissionId = null;
		f.index = 0;
		f.msg = null;
		f.busy = false;
		f.waiting = false;
		f.screen = null;
		persist();
		scrQ.replaceChildren();
		scrFinish.replaceChildren();
		scrThanks.replaceChildren();
		idleBanner.hidden = true;
		if (getLang() !== 'th')
			setLang('th');
		renderStart();
		go('screen-start', false);
		f.lastActivity = Date.now();
		if (opts.onReset)
			opts.onReset();
	}

	function activity() {
		f.lastActivity = Date.now();
		if (!idleBanner.hidden)
			idleBanner.hidden = true;
	}

	// The flow holds something of a person while they are on a question or the
	// send screen, or when they switched the start screen to English.
	function holdsPerson() {
		if (f.screen === 'screen-question' || f.screen === 'screen-finish')
			return !f.busy;
		return f.screen === 'screen-start' && getLang() !== 'th';
	}

	function tick() {
		if (!opts.idleSeconds || !holdsPerson()) {
			idleBanner.hidden = true;
			return;
		}
		const left = opts.idleSeconds - (Date.now() - f.lastActivity) / 1000;
		if (left <= 0) {
			reset();
			return;
		}
		if (left <= Math.min(WARN_SECONDS, opts.idleSeconds)) {
			document.getElementById('idle-title').textContent = t('eit.idle.title');
			idleText.textContent = t('eit.idle.body', { s: Math.ceil(left) });
			idleBtn.textContent = t('eit.idle.continue');
			idleBanner.hidden = false;
		}
	}

	if (opts.idleSeconds) {
		for (const ev of ['pointerdown', 'keydown', 'input', 'wheel', 'touchstart'])
			document.addEventListener(ev, (e) => {
				// A touch on the banner's button is handled by its click.
				if (!idleBanner.contains(e.target))
					activity();
			}, { capture: true, passive: true });
		setInterval(tick, 250);
	}

	onLangChange(() => {
		if (!f.form)
			return;
		switch (f.screen) {
		case 'screen-start': renderStart(); break;
		case 'screen-question': {
			renderQuestion();
			break;
		}
		case 'screen-finish': renderFinish(); break;
		case 'screen-thanks': renderThanks(); break;
		}
		if (!idleBanner.hidden)
			tick();
	});

	return {
		setForm(form) {
			const changed = !f.form || JSON.stringify(form) !== JSON.stringify(f.form);
			f.form = form;
			f.list = questions(form);
			if (changed && f.screen !== 'screen-question' && f.screen !== 'screen-finish')
				renderStart();
		},
		// start(msgKey): shows the start screen; with msgKey, a message in
		// place of the start button (for example a closed round).
		start(msgKey) {
			f.startMsg = msgKey || null;
			restore();
			renderStart();
			go('screen-start', false);
		},
		reset,
		get screen() { return f.screen; },
		get answers() { return { ...f.answers }; },
	};
}
