// SPDX-License-Identifier: ISC
// The front page: only the language switch.

import { initLang, setLang, getLang } from './i18n.js';

initLang({ persist: true });
for (const b of document.querySelectorAll('[data-lang-toggle]'))
	b.addEventListener('click', () => setLang(getLang() === 'th' ? 'en' : 'th'));
