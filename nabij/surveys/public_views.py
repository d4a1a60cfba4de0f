"""The public questionnaire `/v/<slug>/`: no account, no session, no cookie beyond CSRF, no JavaScript needed.

The form goes page by page (`logic.steps`); answers of the other pages travel in hidden fields, together with the
page number, the language and the idempotency key, so the server keeps no state about a respondent. Skip logic is
decided on the server for each page. Submitting twice (double tap, back button, retry) stores one response.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_http_methods

from nabij.core import ratelimit
from nabij.surveys import logic, presentation, selectors, services
from nabij.surveys.models import Collector, Survey
from nabij.surveys.presentation import direction, language_of, question_view

HONEYPOT = "website"
JS_FIELD = "_js"


def _chrome_language(language: str) -> str:
    """Page texts exist in Dutch and English; questions may be in more languages."""
    return "en" if language == "en" else "nl"


def _collector(survey: Survey, code: str | None) -> Collector | None:
    if not code:
        return None
    collector = Collector.objects.filter(survey=survey, code=code).select_related("buurt").first()
    if collector is None:
        raise Http404
    return collector


def _collect(request, questions) -> dict[str, list[str]]:
    data = {}
    for question in questions:
        for key in (question.key, logic.other_key(question.key)):
            values = [v for v in request.POST.getlist(key) if v.strip()]
            if values:
                data[key] = values
    return data


def _prune(questions, data: dict[str, list[str]]) -> dict[str, list[str]]:
    """Drop answers to questions that an earlier answer now skips (after going back and changing it)."""
    visible = logic.visible_keys(questions, data)
    return {k: v for k, v in data.items() if k.split("_", 1)[0] in visible}


def _visible_pages(pages, data) -> list[int]:
    visible = logic.visible_keys([q for page in pages for q in page], data)
    return [i for i, page in enumerate(pages) if any(q.key in visible for q in page)]


@login_not_required
@require_http_methods(["GET", "POST"])
def survey_fill(request, slug: str, code: str | None = None):
    survey = selectors.survey_public_get(slug=slug)
    if survey is None:
        raise Http404
    collector = _collector(survey, code)
    language = language_of(request.POST.get("_taal") or request.GET.get("taal", ""))
    with translation.override(_chrome_language(language)):
        return _survey_fill(request, survey, collector, language)


def _survey_fill(request, survey: Survey, collector: Collector | None, language: str):
    base = {"survey": survey, "language": language, "dir": direction(language), "collector": collector}
    if survey.status == Survey.Status.CLOSED:
        return render(request, "surveys/public_closed.html", base)
    if collector is not None and collector.paused:
        return render(request, "surveys/public_paused.html", base)
    questions, _codes = services.survey_structure(survey)
    # `_js` is added to the form by surveys/public.js: the browser then shows and hides dependent questions
    # itself and a page is a whole section. Without it the server decides skip logic page by page.
    js = request.method == "POST" and request.POST.get(JS_FIELD) == "1"
    pages = logic.steps(questions, split_dependants=not js)
    buurten = selectors.buurt_choices(survey=survey)
    errors: dict[str, str] = {}
    if request.method == "GET":
        data: dict[str, list[str]] = {}
        key = services.new_idempotency_key()
        current = 0
    else:
        if request.POST.get(HONEYPOT):
            # A bot filled the invisible field: answer as if all went well, store nothing.
            return redirect(_thanks_url(survey, language))
        data = _prune(questions, _collect(request, questions))
        key = request.POST.get("_sleutel", "")[:64] or services.new_idempotency_key()
        try:
            current = min(max(int(request.POST.get("_stap", "0")), 0), max(len(pages) - 1, 0))
        except ValueError:
            current = 0
        shown = _visible_pages(pages, data)
        action = request.POST.get("_actie", "volgende")
        if action == "terug":
            earlier = [i for i in shown if i < current]
            current = earlier[-1] if earlier else 0
        else:
            page_keys = {q.key for q in pages[current]} if pages else set()
            _cleaned, errors = logic.validate(questions, data, buurt_codes=[b.code for b in buurten], only=page_keys)
            if not errors:
                later = [i for i in shown if i > current]
                if later:
                    current = later[0]
                else:
                    response = _submit(request, survey, collector, data, key, questions)
                    if isinstance(response, dict):
                        errors = response
                        first = next(iter(errors))
                        current = next(
                            (i for i, page in enumerate(pages) if any(q.key == first for q in page)), current
                        )
                    else:
                        return response
    page = pages[current] if pages else []
    visible = logic.visible_keys(questions, data)
    numbers = {q.key: n for n, q in enumerate(questions, start=1)}
    items = []
    for question, show_if, extra, is_shown in _page_questions(
        questions, page, visible, js=js, first=request.method == "GET"
    ):
        item = question_view(
            question, data=data, errors=errors, language=language, buurten=buurten, number=numbers[question.key]
        )
        item.update(show_if=show_if, js_extra=extra, shown=is_shown)
        items.append(item)
    rendered = {item["key"] for item in items}
    on_page = rendered | {logic.other_key(k) for k in rendered}
    hidden = [(k, v) for k, values in data.items() if k not in on_page for v in values]
    shown = _visible_pages(pages, data)
    context = {
        **base,
        "items": items,
        "hidden": hidden,
        "step": current,
        "step_number": (shown.index(current) + 1) if current in shown else 1,
        "step_count": len(shown) or 1,
        "is_first": not [i for i in shown if i < current],
        "is_last": not [i for i in shown if i > current],
        "key": key,
        "errors": errors,
        "general_errors": {k: v for k, v in errors.items() if k in ("vragenlijst", "verzamelaar", "te_vaak")},
        "honeypot": HONEYPOT,
        "action": request.path,
    }
    if request.method == "GET":
        # What public.js switches to when it turns JavaScript mode on: whole sections as pages.
        section_pages = _visible_pages(logic.steps(questions, split_dependants=False), data)
        context["js_step_count"] = len(section_pages) or 1
        context["js_is_last"] = len(section_pages) <= 1
    return render(request, "surveys/public_fill.html", context, status=422 if errors else 200)


def _page_questions(questions, page, visible: set[str], *, js: bool, first: bool):
    """The questions to render for this page as (question, show_if, js_extra, shown).

    Without JavaScript only the page's visible questions are shown. A question whose condition is on the same
    page gets `show_if` (key, value), so public.js can show it the moment the condition is answered. On the
    first page (a GET: the server cannot know yet whether JavaScript runs) the rest of the section comes along
    hidden (`js_extra`), for public.js to reveal; without JavaScript it stays hidden and comes on a later page.
    The server stays the authority: every answer is validated again, hidden questions' answers are refused.
    """
    if not page:
        return []
    section = [q for q in questions if q.section_id == page[0].section_id] if (js or first) else page
    page_pks = {q.pk for q in page}
    by_pk = {q.pk: q for q in questions}
    result, rendered = [], set()
    for question in section:
        cond = by_pk.get(question.show_if_question_id)
        same_page = cond is not None and cond.pk in rendered
        on_server_page = js or question.pk in page_pks
        is_shown = question.key in visible and on_server_page
        extra = not on_server_page
        if is_shown or same_page or (extra and (question.key in visible or same_page)):
            show_if = (cond.key, question.show_if_value) if same_page else None
            result.append((question, show_if, extra, is_shown))
            rendered.add(question.pk)
    return result


def _thanks_url(survey: Survey, language: str) -> str:
    url = reverse("surveys-public:thanks", args=[survey.slug])
    return f"{url}?taal={language}" if language != "nl" else url


def _submit(request, survey, collector, data, key, questions):
    if not ratelimit.allow(request, scope="survey-submit", limit=presentation.submit_limit()):
        from django.utils.translation import gettext as _

        return {"te_vaak": _("Too many forms were sent from this connection. Wait a minute and try again.")}
    try:
        services.response_submit(
            survey=survey,
            raw=data,
            idempotency_key=key,
            collector_code=collector.code if collector else "",
            questions=questions,
        )
    except services.SubmissionInvalid as exc:
        return exc.errors
    return redirect(_thanks_url(survey, language_of(request.POST.get("_taal", ""))))


@login_not_required
def survey_thanks(request, slug: str):
    survey = selectors.survey_public_get(slug=slug)
    if survey is None:
        raise Http404
    language = language_of(request.GET.get("taal", ""))
    with translation.override(_chrome_language(language)):
        return render(
            request, "surveys/public_thanks.html", {"survey": survey, "language": language, "dir": direction(language)}
        )


@login_not_required
def survey_public_results(request, slug: str):
    """Aggregates only, once the questionnaire is closed: the published values of the small-cell rules (the same
    decision as for staff, `exact_results`, which never gives the public exact counts), with percentages and
    bars computed from them. Never collectors or open answers."""
    survey = selectors.survey_public_get(slug=slug)
    if survey is None or survey.status != Survey.Status.CLOSED:
        raise Http404
    questions = [q for q in services.survey_questions(survey) if q.kind not in q.TEXT_KINDS]
    shown = selectors.survey_results_for(
        user=None, survey=survey, questions=questions, filters=selectors.ResultFilters()
    )
    return render(
        request,
        "surveys/public_results.html",
        {"survey": survey, "total": shown.total, "results": shown.questions, "language": "nl", "dir": "ltr"},
    )
