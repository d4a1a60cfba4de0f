"""Forms of the builder, collectors, paper entry and result filters. They parse input only; services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nabij.core.concurrency import VersionField
from nabij.surveys.models import LANGUAGES, Question, Response, Survey

TRANSLATION_LANGUAGES = [(code, label) for code, label in LANGUAGES if code != "nl"]


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    buurten = forms.MultipleChoiceField(label=_("Buurten"), widget=forms.CheckboxSelectMultiple)
    welcome_text = forms.CharField(
        label=_("Welcome text"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Plain (B1).")
    )
    privacy_text = forms.CharField(
        label=_("Privacy text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What happens with the answers. Leave empty for the standard text."),
    )
    closing_text = forms.CharField(label=_("Closing text"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next_steps_text = forms.CharField(
        label=_("What happens next"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown with the public results once the questionnaire closes."),
    )
    version = VersionField()

    def __init__(self, *args, buurten=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.buurt_objects = {b.code: b for b in buurten}
        self.fields["buurten"].choices = [(b.code, b.name) for b in buurten]

    def clean_buurten(self):
        return [self.buurt_objects[code] for code in self.cleaned_data["buurten"]]


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Title of the new section"), max_length=200)


class QuestionForm(forms.Form):
    section = forms.TypedChoiceField(label=_("Section"), coerce=int)
    kind = forms.ChoiceField(label=_("Type"), choices=Question.Kind.choices)
    text = forms.CharField(label=_("Question"), max_length=300)
    help_text = forms.CharField(label=_("Help text"), max_length=300, required=False)
    required = forms.BooleanField(label=_("Required"), required=False)
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line. For choice and top-3 questions."),
    )
    allow_other = forms.BooleanField(label=_("Add 'other, namely'"), required=False)
    min_value = forms.IntegerField(label=_("Minimum"), required=False, help_text=_("Number and scale."))
    max_value = forms.IntegerField(label=_("Maximum"), required=False, help_text=_("Number and scale."))
    min_label = forms.CharField(label=_("Label of the low end"), max_length=60, required=False)
    max_label = forms.CharField(label=_("Label of the high end"), max_length=60, required=False)
    max_length = forms.IntegerField(label=_("Maximum length"), required=False, min_value=1, max_value=2000)
    show_if = forms.ChoiceField(
        label=_("Show only if"), required=False, help_text=_("Skip logic: ask this only after a certain answer.")
    )

    def __init__(self, *args, sections=(), conditions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [(s.pk, s.title) for s in sections]
        self.fields["show_if"].choices = [("", _("Always show"))] + list(conditions)
        for code, label in TRANSLATION_LANGUAGES:
            self.fields[f"text_{code}"] = forms.CharField(label=_("Question (%s)") % label, required=False)
            self.fields[f"help_{code}"] = forms.CharField(label=_("Help text (%s)") % label, required=False)
            self.fields[f"options_{code}"] = forms.CharField(
                label=_("Options (%s)") % label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("One per line, in the same order."),
            )

    def translation_fields(self):
        return [
            (label, [self[f"text_{code}"], self[f"help_{code}"], self[f"options_{code}"]])
            for code, label in TRANSLATION_LANGUAGES
        ]

    def service_kwargs(self, questions_by_pk) -> dict:
        data = self.cleaned_data
        show_if_question, show_if_value = None, ""
        if data["show_if"]:
            qid, _sep, show_if_value = data["show_if"].partition(":")
            show_if_question = questions_by_pk.get(int(qid))
        translations = {
            code: {"text": data[f"text_{code}"], "help_text": data[f"help_{code}"]}
            for code, _l in TRANSLATION_LANGUAGES
        }
        option_translations = {code: data[f"options_{code}"].splitlines() for code, _l in TRANSLATION_LANGUAGES}
        return {
            "kind": data["kind"],
            "text": data["text"],
            "help_text": data["help_text"],
            "required": data["required"],
            "allow_other": data["allow_other"] and data["kind"] in (Question.Kind.SINGLE, Question.Kind.MULTIPLE),
            "min_value": data["min_value"],
            "max_value": data["max_value"],
            "min_label": data["min_label"],
            "max_label": data["max_label"],
            "max_length": data["max_length"],
            "show_if_question": show_if_question,
            "show_if_value": show_if_value,
            "options": [line for line in data["options"].splitlines() if line.strip()],
            "translations": translations,
            "option_translations": option_translations,
        }

    @staticmethod
    def initial_for(question: Question) -> dict:
        initial = {
            "section": question.section_id,
            "kind": question.kind,
            "text": question.text,
            "help_text": question.help_text,
            "required": question.required,
            "allow_other": question.allow_other,
            "min_value": question.min_value,
            "max_value": question.max_value,
            "min_label": question.min_label,
            "max_label": question.max_label,
            "max_length": question.max_length,
            "options": "\n".join(o.label for o in question.options.all()),
            "show_if": f"{question.show_if_question_id}:{question.show_if_value}"
            if question.show_if_question_id
            else "",
        }
        for code, _l in TRANSLATION_LANGUAGES:
            values = (question.translations or {}).get(code, {})
            initial[f"text_{code}"] = values.get("text", "")
            initial[f"help_{code}"] = values.get("help_text", "")
            initial[f"options_{code}"] = "\n".join(o.translations.get(code, "") for o in question.options.all())
        return initial


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Survey.Status.choices)
    confirm_below_b1 = forms.BooleanField(required=False)


class CollectorForm(forms.Form):
    label = forms.CharField(
        label=_("Label"), max_length=80, help_text=_("A name the team recognises, never a full name or address.")
    )
    buurt = forms.ChoiceField(label=_("Buurt"))
    consent = forms.BooleanField(label=_("The collector agreed to take part"), required=False)

    def __init__(self, *args, buurten=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.buurt_objects = {b.code: b for b in buurten}
        self.fields["buurt"].choices = [(b.code, b.name) for b in buurten]


class ResultFilterForm(forms.Form):
    buurt = forms.ChoiceField(label=_("Buurt"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels"))] + list(Response.Channel.choices)
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(
        label=_("Up to and including"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, buurten=(), channels: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buurt"].choices = [("", _("All buurten"))] + [(b.code, b.name) for b in buurten]
        if not channels:
            # Per channel and buurt the collector channel would give a collector's count away.
            del self.fields["channel"]


class TopicForm(forms.Form):
    topics = forms.MultipleChoiceField(label=_("Topics"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = [(t.slug, t.display_label) for t in topics]
