// SPDX-License-Identifier: ISC
// The translation engine of both apps: t() with {name} filled in and Thai
// as the fallback, the language switch and its listeners, and the markup
// hooks below.  Each app brings its own string table and says where the
// choice is kept: the respondent pages in memory or sessionStorage (a
// shared kiosk or a borrowed phone must not remember it), the admin
// console in localStorage.
//
// Markup:
//   data-i18n="key"                 the element's text
//   data-i18n-vars='{"n": 3}'       values for the data-i18n text
//   data-i18n-attr="attr:key;..."   attributes
//   <title data-title="key">        the document title, "text · suffix"
//   data-lang-toggle                a switch button: names the other
//                                   language ('lang.other'), in that language

export const LANGS = ['th', 'en'];

// createI18n({strings, storageKey, storage, titleSuffixKey}):
//   strings          {th: {key: text}, en: {key: text}}
//   storageKey       the storage item that keeps the choice
//   storage          () => a Storage (localStorage, sessionStorage), or
//                    null to keep the choice in memory only; keepIn()
//                    changes it later
//   titleSuffixKey   the key appended to a data-title document title
// The starting language is the kept one, else Thai.
export function createI18n({ strings, storageKey, storage = null, titleSuffixKey = null }) {
	let store = storage;
	const listeners = [];
	const norm = (l) => (LANGS.includes(l) ? l : 'th');

	// The kept language, or null; storage may be disabled (private mode,
	// a locked-down kiosk browser), which is the same as nothing kept.
	function stored() {
		if (!store)
			return null;
		try {
			const v = store().getItem(storageKey);
			return LANGS.includes(v) ? v : null;
		} catch (e) {
			return null;
		}
	}

	let lang = stored() || 'th';

	function keepIn(storageFn) {
		store = storageFn || null;
	}

	function getLang() {
		return lang;
	}

	// t(key, vars): the text of key in the current language, "{name}"
	// replaced by vars.name; a name vars lacks stays as it is, and a key
	// neither language has comes back as the key.
	function t(key, vars) {
		let s = strings[lang][key];
		if (s === undefined)
			s = strings.th[key];
		if (s === undefined)
			return key;
		if (vars)
			s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] !== undefined ? String(vars[k]) : m));
		return s;
	}

	// Whether the current language has key (for codes that may have none).
	function has(key) {
		return strings[lang][key] !== undefined;
	}

	// pick(label): a {th, en} label from the server in the current language.
	function pick(label) {
		if (label == null)
			return '';
		if (typeof label === 'string')
			return label;
		return label[lang] || label.th || label.en || '';
	}

	// apply(root): fills the markup hooks (see the top) from the current
	// language, and names it on <html lang>.
	function apply(root = document) {
		document.documentElement.lang = lang;
		for (const e of root.querySelectorAll('[data-i18n]'))
			e.textContent = t(e.dataset.i18n, e.dataset.i18nVars ? JSON.parse(e.dataset.i18nVars) : undefined);
		for (const e of root.querySelectorAll('[data-i18n-attr]')) {
			for (const pair of e.dataset.i18nAttr.split(';')) {
				const [attr, key] = pair.split(':');
				if (attr && key)
					e.setAttribute(attr.trim(), t(key.trim()));
			}
		}
		const other = lang === 'th' ? 'en' : 'th';
		for (const e of root.querySelectorAll('[data-lang-toggle]')) {
			e.textContent = t('lang.other');
			e.setAttribute('lang', other);
		}
		const title = document.querySelector('title[data-title]');
		if (title)
			document.title = titleSuffixKey ? `${t(title.dataset.title)} · ${t(titleSuffixKey)}` :
			    t(title.dataset.title);
	}

	// setLang(l): switches (anything but a known language is Thai), keeps
	// the choice, relabels the document and tells the listeners.
	function setLang(l) {
		lang = norm(l);
		if (store) {
			try { store().setItem(storageKey, lang); } catch (e) { /* disabled or full */ }
		}
		apply(document);
		for (const fn of listeners)
			fn(lang);
	}

	// onLangChange(fn): fn(lang) after every switch, once the document's
	// own labels are done.
	function onLangChange(fn) {
		listeners.push(fn);
	}

	return { t, has, pick, getLang, setLang, onLangChange, apply, stored, keepIn };
}
