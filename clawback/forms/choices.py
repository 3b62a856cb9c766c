"""Forms whose choices the page gives: the rows a person may choose among come from the selectors, through
the page, never from the form itself (docs/architecture.md, "Selectors")."""

from django import forms


class GivenChoices(forms.Form):
    """`choices_from = {"field": "keyword"}`: the form takes each `keyword=` (the rows the user may choose),
    which `choices(field, rows)` makes the field's queryset; without it the field keeps the queryset it
    declares (none)."""

    choices_from: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        given = {field: kwargs.pop(keyword, None) for field, keyword in self.choices_from.items()}
        super().__init__(*args, **kwargs)
        for field, rows in given.items():
            if rows is not None:
                self.fields[field].queryset = self.choices(field, rows)

    def choices(self, field: str, rows):
        return rows
