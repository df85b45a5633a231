// SPDX-License-Identifier: ISC
// A small tokenizer for the pages' own JavaScript, enough for the static
// checks (strings.test.mjs): it knows strings, template literals, comments
// and regular expression literals, so that a quote inside a regex or a
// t('key') inside a comment is not taken for code. Not a parser: the
// checks look at token sequences (a call and its arguments).
//
//   tokenize(src) -> [{type, value, line}]
//     type 'str'    value: the string's text (escapes decoded)
//          'tpl'    value: the raw text between the backquotes; subs:
//                   whether it has ${...}; inner: the token list of each
//          'ident'  'num'  'punc' (one character)  'regex'

const PUNC_BEFORE_REGEX = new Set(['(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);
const KEYWORDS_BEFORE_REGEX = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'yield', 'await']);

// lineOf(src)(i): the line number of offset i.
function lineOf(src) {
	const starts = [0];
	for (let j = 0; j < src.length; j++)
		if (src[j] === '\n')
			starts.push(j + 1);
	return (i) => {
		let lo = 0;
		let hi = starts.length - 1;
		while (lo < hi) {
			const mid = (lo + hi + 1) >> 1;
			if (starts[mid] <= i)
				lo = mid;
			else
				hi = mid - 1;
		}
		return lo + 1;
	};
}

function decode(s) {
	return s.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/gs, (m, e) => {
		if (e[0] === 'u' && e.length > 1)
			return String.fromCodePoint(parseInt(e.replace(/[u{}]/g, ''), 16));
		if (e[0] === 'x' && e.length === 3)
			return String.fromCharCode(parseInt(e.slice(1), 16));
		return { n: '\n', r: '\r', t: '\t', '\n': '' }[e] ?? e;
	});
}

export function tokenize(src) {
	return scan(src, 0, false, lineOf(src)).tokens;
}

// scan(src, i, inSub): tokens from i to the end, or, inside a template's
// ${...} (inSub), to its closing brace; returns {tokens, end}.
function scan(src, i, inSub, lineAt) {
	const out = [];
	let depth = 0;
	const prev = () => out[out.length - 1];
	const regexAllowed = () => {
		const p = prev();
		if (!p)
			return true;
		if (p.type === 'punc')
			return PUNC_BEFORE_REGEX.has(p.value);
		if (p.type === 'ident')
			return KEYWORDS_BEFORE_REGEX.has(p.value);
		return false;
	};
	while (i < src.length) {
		const c = src[i];
		const start = i;
		if (/\s/.test(c)) {
			i++;
		} else if (c === '/' && src[i + 1] === '/') {
			while (i < src.length && src[i] !== '\n')
				i++;
		} else if (c === '/' && src[i + 1] === '*') {
			const end = src.indexOf('*/', i + 2);
			i = end < 0 ? src.length : end + 2;
		} else if (c === '\'' || c === '"') {
			i++;
			while (i < src.length && src[i] !== c)
				i += src[i] === '\\' ? 2 : 1;
			out.push({ type: 'str', value: decode(src.slice(start + 1, i)), line: lineAt(start) });
			i++;
		} else if (c === '`') {
			// The text, and the tokens of each ${...} (inner) so that the
			// checks see the calls made there too.
			const inner = [];
			i++;
			while (i < src.length && src[i] !== '`') {
				if (src[i] === '\\') {
					i += 2;
				} else if (src[i] === '$' && src[i + 1] === '{') {
					const sub = scan(src, i + 2, true, lineAt);
					inner.push(sub.tokens);
					i = sub.end;
				} else {
					i++;
				}
			}
			i++;
			const raw = src.slice(start + 1, i - 1);
			out.push({ type: 'tpl', value: raw, subs: inner.length > 0, inner, line: lineAt(start) });
		} else if (c === '/' && regexAllowed()) {
			i++;
			let cls = false;
			while (i < src.length && (src[i] !== '/' || cls)) {
				if (src[i] === '\\')
					i++;
				else if (src[i] === '[')
					cls = true;
				else if (src[i] === ']')
					cls = false;
				i++;
			}
			i++;
			while (/[a-z]/.test(src[i] || ''))
				i++;
			out.push({ type: 'regex', value: src.slice(start, i), line: lineAt(start) });
		} else if (/[A-Za-z_$]/.test(c)) {
			while (i < src.length && /[\w$]/.test(src[i]))
				i++;
			out.push({ type: 'ident', value: src.slice(start, i), line: lineAt(start) });
		} else if (/[0-9]/.test(c)) {
			while (i < src.length && /[\w.]/.test(src[i]))
				i++;
			out.push({ type: 'num', value: src.slice(start, i), line: lineAt(start) });
		} else {
			if (inSub && c === '}' && depth === 0)
				return { tokens: out, end: i + 1 };
			if (c === '{')
				depth++;
			else if (c === '}')
				depth--;
			out.push({ type: 'punc', value: c, line: lineAt(start) });
			i++;
		}
	}
	return { tokens: out, end: i };
}

const OPEN = { '(': ')', '[': ']', '{': '}' };

// args(tokens, i): tokens[i] is an opening '('; returns {args, end}: the
// top-level arguments as token lists, and the index after the ')'.
export function args(tokens, i) {
	const list = [[]];
	const stack = [];
	for (let j = i + 1; j < tokens.length; j++) {
		const tk = tokens[j];
		if (tk.type === 'punc' && OPEN[tk.value]) {
			stack.push(OPEN[tk.value]);
		} else if (tk.type === 'punc' && stack.length && tk.value === stack[stack.length - 1]) {
			stack.pop();
		} else if (tk.type === 'punc' && !stack.length && tk.value === ')') {
			return { args: list[0].length || list.length > 1 ? list : [], end: j + 1 };
		} else if (tk.type === 'punc' && !stack.length && tk.value === ',') {
			list.push([]);
			continue;
		}
		list[list.length - 1].push(tk);
	}
	throw new Error(`unclosed call at line ${tokens[i].line}`);
}

// expression(tokens, i): the tokens from i up to the first top-level
// ',', ';', ')' , ']' or '}' (the end of a property value or statement).
export function expression(tokens, i) {
	const out = [];
	const stack = [];
	for (let j = i; j < tokens.length; j++) {
		const tk = tokens[j];
		if (tk.type === 'punc') {
			if (OPEN[tk.value]) {
				stack.push(OPEN[tk.value]);
			} else if (stack.length && tk.value === stack[stack.length - 1]) {
				stack.pop();
			} else if (!stack.length && [',', ';', ')', ']', '}'].includes(tk.value)) {
				break;
			}
		}
		out.push(tk);
	}
	return out;
}
