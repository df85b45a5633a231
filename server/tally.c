/* SPDX-License-Identifier: ISC */
/*
 * A round's (or a unit's) answer counts as the writer keeps them: an
 * array with one slot per option of each question of the form
 * (question->base + option index), read from and written to the JSON
 * text of a tallies row (migrations/0006_tallies.sql), {question:
 * {value: n}} with only the counts above zero.  Pure: no database.
 *
 * A stored count the form does not know (a form file edited while its
 * round had answers) is kept aside in "extra" and written back as it
 * was, so editing a form never loses or changes a count.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

/* Keep (question, value, n) aside in t->extra.  0 or -1. */
static int
extra_put(struct tally_counts *t, const char *question, const char *value,
    json_int_t n)
{
	json_t	*o;

	if (t->extra == NULL && (t->extra = json_object()) == NULL)
		return -1;
	if ((o = json_object_get(t->extra, question)) == NULL) {
		if ((o = json_object()) == NULL ||
		    json_object_set_new(t->extra, question, o) == -1)
			return -1;
	}
	return json_object_set_new(o, value, json_integer(n));
}

/*
 * Read text (a tallies row's running or published JSON) as counts of
 * form f into *out (release with tally_counts_free).  0, or -1 when text is not
 * such an object (out is then empty).
 */
int
tally_counts_load(const struct form *f, const char *text,
    struct tally_counts *out)
{
	const struct question	*q;
	json_t			*root, *vals, *n;
	const char		*code, *value;
	int			 i, rc = -1;

	memset(out, 0, sizeof(*out));
	out->form = f;
	out->n = xcalloc(f->ncounts > 0 ? f->ncounts : 1, sizeof(*out->n));
	if ((root = json_loads(text, JSON_REJECT_DUPLICATES, NULL)) == NULL ||
	    !json_is_object(root))
		goto out;
	json_object_foreach(root, code, vals) {
		if (!json_is_object(vals))
			goto out;
		q = form_question(f, code);
		json_object_foreach(vals, value, n) {
			if (!json_is_integer(n) || json_integer_value(n) < 0)
				goto out;
			if (q != NULL && (i = form_option_index(q, value)) >= 0)
				out->n[q->base + (size_t)i] =
				    json_integer_value(n);
			else if (extra_put(out, code, value,
			    json_integer_value(n)) == -1)
				goto out;
		}
	}
	rc = 0;
out:
	json_decref(root);
	if (rc == -1) {
		tally_counts_free(out);
		out->form = f;
		out->n = xcalloc(f->ncounts > 0 ? f->ncounts : 1,
		    sizeof(*out->n));
	}
	return rc;
}

/* Append "key" (JSON-escaped) to b.  0 or -1. */
static int
key_put(struct buf *b, const char *key)
{
	json_t	*s;
	char	*text;
	int	 rc;

	if ((s = json_string(key)) == NULL)
		return -1;
	text = json_dumps(s, JSON_ENCODE_ANY);
	json_decref(s);
	if (text == NULL)
		return -1;
	rc = buf_puts(b, text);
	free(text);
	return rc;
}

/* Append the members of extra object o ("v":n,...) to b.  0 or -1. */
static int
extra_members(struct buf *b, json_t *o, int comma)
{
	const char	*value;
	json_t		*n;
	int		 rc = 0;

	json_object_foreach(o, value, n) {
		if (comma)
			rc |= buf_puts(b, ",");
		comma = 1;
		rc |= key_put(b, value);
		rc |= buf_printf(b, ":%" PRId64,
		    (int64_t)json_integer_value(n));
	}
	return rc == 0 ? 0 : -1;
}

/*
 * Write [,]"word":n at p, word needing no escape, by hand (this runs for
 * every count of every group the writer commits); the end of what was
 * written.  p has room for strlen(word) + COUNT_ROOM bytes.
 */
#define COUNT_ROOM	28	/* ,"": and 20 digits, and spare */

static char *
count_put(char *p, int comma, const char *word, int64_t n)
{
	char		 digits[24];
	size_t		 wlen = strlen(word), nd = 0;
	uint64_t	 u = n < 0 ? 0 : (uint64_t)n;

	if (comma)
		*p++ = ',';
	*p++ = '"';
	memcpy(p, word, wlen);
	p += wlen;
	*p++ = '"';
	*p++ = ':';
	do {
		digits[nd++] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	while (nd > 0)
		*p++ = digits[--nd];
	return p;
}

/*
 * The form's part of t as JSON members ("q":{"v":n,...},...) appended
 * to b: one buffer sized beforehand, one append.  *any is set when
 * something was written.  0 or -1.
 */
static int
form_part(const struct tally_counts *t, struct buf *b, int *any)
{
	const struct form	*f = t->form;
	const struct question	*q;
	json_t			*ex;
	size_t			 k, i, clen;
	char			*text, *p;
	int			 rc = 0, open;

	/* Codes and values are at most 32 bytes (form.c). */
	p = text = xreallocarray(NULL, f->nquestions + f->ncounts + 1,
	    32 + COUNT_ROOM);
	for (k = 0; k < f->nquestions; k++) {
		q = f->questions[k];
		ex = t->extra != NULL ? json_object_get(t->extra, q->code) :
		    NULL;
		open = 0;
		for (i = 0; i < q->scale->nopts; i++) {
			if (t->n[q->base + i] == 0)
				continue;
			if (!open) {
				if (*any)
					*p++ = ',';
				*p++ = '"';
				clen = strlen(q->code);
				memcpy(p, q->code, clen);
				p += clen;
				*p++ = '"';
				*p++ = ':';
				*p++ = '{';
			}
			p = count_put(p, open, q->scale->opts[i].value,
			    t->n[q->base + i]);
			open = *any = 1;
		}
		if (ex != NULL && json_object_size(ex) > 0) {
			/* Rare (a form edited under its round): slow path. */
			if (!open) {
				if (*any)
					*p++ = ',';
				p += sprintf(p, "\"%s\":{", q->code);
			}
			rc |= buf_append(b, text, (size_t)(p - text));
			p = text;
			rc |= extra_members(b, ex, open);
			open = *any = 1;
		}
		if (open)
			*p++ = '}';
	}
	rc |= buf_append(b, text, (size_t)(p - text));
	free(text);
	return rc == 0 ? 0 : -1;
}

/*
 * t as tallies JSON into b (reset first): the form's questions in form
 * order, each with its counts above zero in option order and then the
 * values "extra" kept for it, then the questions only "extra" has.
 * Codes and option values are [A-Za-z0-9_-] (form.c): only extra keys
 * need escaping.  0 or -1 (out of memory or b's bound).
 */
int
tally_counts_dump(const struct tally_counts *t, struct buf *b)
{
	json_t		*ex;
	const char	*code;
	int		 rc = 0, any = 0;

	buf_reset(b);
	rc |= buf_puts(b, "{");
	rc |= form_part(t, b, &any);
	if (t->extra != NULL)
		json_object_foreach(t->extra, code, ex) {
			if (form_question(t->form, code) != NULL)
				continue;
			if (any)
				rc |= buf_puts(b, ",");
			rc |= key_put(b, code);
			rc |= buf_puts(b, ":{");
			rc |= extra_members(b, ex, 0);
			rc |= buf_puts(b, "}");
			any = 1;
		}
	rc |= buf_puts(b, "}");
	return rc == 0 ? 0 : -1;
}

/* Release what t owns (not t).  Accepts a zeroed struct. */
void
tally_counts_free(struct tally_counts *t)
{
	free(t->n);
	json_decref(t->extra);
	t->n = NULL;
	t->extra = NULL;
}
