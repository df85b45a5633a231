// SPDX-License-Identifier: ISC
// The language of the respondent pages: the shared engine (../lib/i18n.js)
// over this app's string table (strings.js). Thai is the default. The
// choice is kept in memory, or in sessionStorage when a page asks for it
// (never in a cookie, never in localStorage: a kiosk or a borrowed phone
// must not remember the last person's choice).

import { createI18n, LANGS } from '../lib/i18n.js';
import { STRINGS } from './strings.js';

const i18n = createI18n({ strings: STRINGS, storageKey: 'ita-lang' });

export { LANGS };
export const { t, pick, getLang, setLang, onLangChange, apply } = i18n;

// initLang({persist}) picks the language: the stored one when persist is
// true (sessionStorage), else Thai.
export function initLang(opts = {}) {
	i18n.keepIn(opts.persist ? () => sessionStorage : null);
	setLang(i18n.stored() || 'th');
}
