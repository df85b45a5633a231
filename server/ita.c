/* SPDX-License-Identifier: ISC */
/*
 * The overall ITA estimate (ITA.md): the published indicator scores of an
 * IIT and an EIT round, and the OIT score, weighted by the forms'
 * indicator weights, OIT taking what they leave of ITA_WEIGHT_TOTAL.  The
 * OIT score is the evidence desk's estimate (oitscore.c) unless the
 * working group types one in, which then overrides it and says so.  The
 * arithmetic (ita_overall) is pure; ita_overview reads the two rounds'
 * scores and assembles the document.
 */
#include <stdio.h>
#include <string.h>

#include "actions.h"
#include "oit.h"

/*
 * The overall ITA estimate: the weighted mean of n indicator scores
 * (hundredths, 0..10000) with their forms' weights, and of the OIT score
 * oit, whose weight is what the indicators leave of ITA_WEIGHT_TOTAL
 * (ITA.md: 30 IIT + 30 EIT leave OIT 40).  Rounds half up through
 * score_weighted().  Returns 0 with *oit_weight and *overall set, or -1
 * when n is 0 or over ITA_PARTS_MAX - 1, a score is out of range, a
 * weight is negative, or the weights leave nothing for OIT.
 */
int
ita_overall(const int64_t *scores, const int64_t *weights, size_t n,
    int64_t oit, int64_t *oit_weight, int64_t *overall)
{
	int64_t	s[ITA_PARTS_MAX], w[ITA_PARTS_MAX], sum = 0;
	size_t	i;

	*oit_weight = *overall = 0;
	if (n == 0 || n >= ITA_PARTS_MAX || oit < 0 || oit > 10000)
		return -1;
	for (i = 0; i < n; i++) {
		if (scores[i] < 0 || scores[i] > 10000 || weights[i] < 0 ||
		    weights[i] > ITA_WEIGHT_TOTAL)
			return -1;
		s[i] = scores[i];
		w[i] = weights[i];
		sum += weights[i];
	}
	if (sum >= ITA_WEIGHT_TOTAL)
		return -1;
	s[n] = oit;
	w[n] = ITA_WEIGHT_TOTAL - sum;
	*oit_weight = w[n];
	*overall = score_weighted(s, w, n + 1);
	return 0;
}

/*
 * A score typed by a person, "69.23", "69.2" or "69", to hundredths.
 * Returns 0, or -1 unless it is 0 to 100 with at most two decimals.
 */
int
ita_score_parse(const char *v, int64_t *out)
{
	int64_t	whole = 0, frac = 0;
	size_t	i = 0, nd = 0, nf = 0;

	*out = 0;
	if (v == NULL)
		return -1;
	for (; v[i] >= '0' && v[i] <= '9' && nd < 4; i++, nd++)
		whole = whole * 10 + (v[i] - '0');
	if (nd == 0)
		return -1;
	if (v[i] == '.')
		for (i++; v[i] >= '0' && v[i] <= '9' && nf < 3; i++, nf++)
			frac = frac * 10 + (v[i] - '0');
	if (v[i] != '\0' || nf > 2 || (v[nd] == '.' && nf == 0))
		return -1;
	*out = whole * 100 + (nf == 1 ? frac * 10 : frac);
	return *out <= 10000 ? 0 : -1;
}

/* One instrument's part of the overview, read from its scores. */
struct part {
	json_t			*doc;	/* scores document, owned */
	const struct form	*f;	/* borrowed from app->forms */
};

/*
 * Read the published scores of round id, which must be of instrument
 * want.  ERR_OK, or the error with its message in msg.
 */
static enum err
part_get(struct app *app, const char *want, int64_t id, struct part *p,
    char *msg, size_t msgsz)
{
	size_t		 i;
	json_t		*ind;
	const char	*instrument;
	enum err	 e;

	if ((e = rounds_scores(app, id, &p->doc)) != ERR_OK) {
		if (e == ERR_NO_ROUND) {
			snprintf(msg, msgsz, "There is no round %lld to use "
			    "as the %s.", (long long)id, want);
			e = ERR_ITA_NO_ROUND;
		}
		return e;
	}
	instrument = json_string_value(json_object_get(p->doc, "instrument"));
	p->f = formset_get(app->forms,
	    json_string_value(json_object_get(p->doc, "form")));
	if (instrument == NULL || p->f == NULL ||
	    strcmp(instrument, want) != 0) {
		snprintf(msg, msgsz, "Round %lld is not an %s round.",
		    (long long)id, want);
		return ERR_WRONG_INSTRUMENT;
	}
	if (!json_is_true(json_object_get(p->doc, "published"))) {
		snprintf(msg, msgsz, "The %s round %lld has %lld "
		    "respondents: its scores are published from %lld.", want,
		    (long long)id, (long long)json_integer_value(
		    json_object_get(p->doc, "respondents")),
		    (long long)p->f->min_cell);
		return ERR_NOT_PUBLISHED;
	}
	json_array_foreach(json_object_get(p->doc, "indicators"), i, ind)
		if (!json_is_number(json_object_get(ind, "score"))) {
			snprintf(msg, msgsz, "Indicator %s of the %s round "
			    "%lld has no answers yet.",
			    json_string_value(json_object_get(ind, "code")),
			    want, (long long)id);
			return ERR_NOT_PUBLISHED;
		}
	return ERR_OK;
}

/* The round's line of the overview (caller owns). */
static json_t *
part_json(const struct part *p)
{
	return json_pack("{s:O, s:O, s:O, s:O, s:O, s:O}",
	    "round", json_object_get(p->doc, "round"),
	    "title", json_object_get(p->doc, "title"),
	    "form", json_object_get(p->doc, "form"),
	    "respondents", json_object_get(p->doc, "respondents"),
	    "score", json_object_get(p->doc, "score"),
	    "grade", json_object_get(p->doc, "grade"));
}

/*
 * The OIT part of the overview for oit (hundredths typed in, or
 * ITA_OIT_ESTIMATE): *score the OIT score to use and *part {"source":
 * "estimate", "checklist", "indicators" (9 and 10: oit_estimate's),
 * "computed_at"} or {"source": "override", "estimate": the estimate
 * beside it, or null without one} (caller owns).  ERR_BAD_OIT,
 * ERR_ITA_NO_OIT (an estimate asked for, no checklist), ERR_INTERNAL.
 */
static enum err
oit_part(struct app *app, int64_t oit, int64_t *score, json_t **part)
{
	json_t		*est = NULL;
	int64_t		 estimate = 0;
	enum err	 e;

	*part = NULL;
	*score = 0;
	if (oit != ITA_OIT_ESTIMATE && (oit < 0 || oit > 10000))
		return ERR_BAD_OIT;
	e = oit_estimate(app, &est, &estimate);
	if (oit == ITA_OIT_ESTIMATE) {
		if (e != ERR_OK)
			return e == ERR_OIT_NO_CHECKLIST ? ERR_ITA_NO_OIT : e;
		*score = estimate;
		*part = json_pack("{s:s, s:O, s:O, s:O}", "source", "estimate",
		    "checklist", json_object_get(est, "checklist"),
		    "indicators", json_object_get(est, "indicators"),
		    "computed_at", json_object_get(est, "computed_at"));
	} else {
		*score = oit;
		*part = json_pack("{s:s, s:o}", "source", "override",
		    "estimate", est == NULL ? json_null() :
		    json_real(score_to_double(estimate)));
	}
	json_decref(est);
	return *part == NULL ? ERR_INTERNAL : ERR_OK;
}

/*
 * The ITA overview of IIT round iit, EIT round eit and OIT score oit
 * (hundredths typed in, or ITA_OIT_ESTIMATE for the evidence desk's
 * estimate): {"iit", "eit", "oit": {"score", "weight", "source", ...
 * (oit_part)}, "indicators": [..., OIT], "score", "grade", "target",
 * "meets_target"} in *out (caller owns).  The grade bands and target are
 * the IIT form's.  On an error, msg may hold a message naming the round
 * (else it is ""): ERR_ITA_NO_ROUND, ERR_WRONG_INSTRUMENT,
 * ERR_NOT_PUBLISHED, ERR_BAD_OIT, ERR_ITA_NO_OIT, ERR_BAD_WEIGHTS,
 * ERR_INTERNAL.
 */
enum err
ita_overview(struct app *app, int64_t iit, int64_t eit, int64_t oit,
    json_t **out, char *msg, size_t msgsz)
{
	static const char *const names[2] = { "IIT", "EIT" };
	struct part		 parts[2];
	int64_t			 ids[2], scores[ITA_PARTS_MAX];
	int64_t			 weights[ITA_PARTS_MAX], oitw, overall;
	json_t			*inds = NULL, *ind, *opart = NULL;
	size_t			 i, j, n = 0;
	enum err		 e;

	*out = NULL;
	if (msgsz > 0)
		msg[0] = '\0';
	memset(parts, 0, sizeof(parts));
	ids[0] = iit;
	ids[1] = eit;
	if ((e = oit_part(app, oit, &oit, &opart)) != ERR_OK)
		return e;
	for (i = 0; i < 2; i++)
		if ((e = part_get(app, names[i], ids[i], &parts[i], msg,
		    msgsz)) != ERR_OK)
			goto out;
	inds = json_array();
	for (i = 0; i < 2; i++)
		json_array_foreach(json_object_get(parts[i].doc,
		    "indicators"), j, ind) {
			/* Forms have at most 32 indicators (forms check). */
			if (n + 1 >= ITA_PARTS_MAX)
				break;
			/* The doubles are the nearest to hundredths. */
			scores[n] = (int64_t)(json_number_value(
			    json_object_get(ind, "score")) * 100.0 + 0.5);
			weights[n++] = json_integer_value(
			    json_object_get(ind, "weight"));
			json_array_append_new(inds, json_pack("{s:O, s:s, "
			    "s:O, s:O, s:O}", "code", json_object_get(ind,
			    "code"), "instrument", names[i], "name",
			    json_object_get(ind, "name"), "score",
			    json_object_get(ind, "score"), "weight",
			    json_object_get(ind, "weight")));
		}
	if (ita_overall(scores, weights, n, oit, &oitw, &overall) == -1) {
		e = ERR_BAD_WEIGHTS;
		goto out;
	}
	json_array_append_new(inds, json_pack("{s:s, s:s, s:f, s:I, s:O}",
	    "code", "OIT", "instrument", "OIT", "score",
	    score_to_double(oit), "weight", (json_int_t)oitw, "source",
	    json_object_get(opart, "source")));
	json_object_set_new(opart, "score", json_real(score_to_double(oit)));
	json_object_set_new(opart, "weight", json_integer((json_int_t)oitw));
	*out = json_pack("{s:o, s:o, s:O, s:O, s:f, s:s?, s:O, s:b}",
	    "iit", part_json(&parts[0]),
	    "eit", part_json(&parts[1]),
	    "oit", opart,
	    "indicators", inds,
	    "score", score_to_double(overall),
	    "grade", score_grade(parts[0].f, overall),
	    "target", json_object_get(parts[0].doc, "target"),
	    "meets_target", overall >= parts[0].f->target);
	e = *out == NULL ? ERR_INTERNAL : ERR_OK;
out:
	json_decref(inds);
	json_decref(opart);
	json_decref(parts[0].doc);
	json_decref(parts[1].doc);
	return e;
}
