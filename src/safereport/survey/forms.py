"""What the survey accepts. Context answers are optional; a task needs one choice."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safereport.core.choice import NO_REPORT
from safereport.survey.questions import Question


class ContextForm(forms.Form):
    answer = forms.ChoiceField(required=False, widget=forms.RadioSelect)

    def __init__(self, question: Question, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["answer"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - narrows the type
        field.choices = list(question.options)
        field.label = question.text
        field.error_messages["invalid_choice"] = _("Choose one of the answers, or skip.")


class TaskForm(forms.Form):
    choice = forms.ChoiceField(
        error_messages={
            "required": _("Choose option A, option B or “I would not report”."),
            "invalid_choice": _("Choose option A, option B or “I would not report”."),
        },
    )

    def __init__(self, option_labels: tuple[str, ...], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["choice"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - narrows the type
        field.choices = [(label, label) for label in (*option_labels, NO_REPORT)]
        self.alternatives = (*option_labels, NO_REPORT)

    def choice_index(self) -> int:
        return self.alternatives.index(self.cleaned_data["choice"])
