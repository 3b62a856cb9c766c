"""Forms whose choices the page gives: the rows a person may choose among come from the selectors, through
the page, never from the form itself (docs/architecture.md, "Selectors")."""

from django import forms


class GivenChoices(forms.Form):
    """`choices_from = {"field": "keyword"}`: the form takes each `keyword=` (the rows the user may choose),
    which `choices(field, rows)` makes the field's queryset; without it the field keeps the queryset it
    declares (none).

    `id_prefix`: the fields' ids are "id_<prefix>_<name>" instead of "id_<name>", for forms shown together on
    one page whose fields share a name (the case page's recovery forms all have a `claim`): each id stays
    unique, so each label, help text and error is tied to its own field."""

    choices_from: dict[str, str] = {}
    id_prefix: str = ""

    def __init__(self, *args, **kwargs):
        given = {field: kwargs.pop(keyword, None) for field, keyword in self.choices_from.items()}
        if self.id_prefix:
            kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)
        for field, rows in given.items():
            if rows is not None:
                self.fields[field].queryset = self.choices(field, rows)

    def choices(self, field: str, rows):
        return rows
