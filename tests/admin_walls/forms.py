"""Post back an admin change form as a browser would: every value the page shows, unchanged unless told."""

from html.parser import HTMLParser


class _FormValues(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.values: dict[str, str | list[str]] = {}
        self._multiple = False
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.values[name] = attrs.get("value", "on")
            elif kind not in {"submit", "button", "file"}:
                self.values[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self._multiple = "multiple" in attrs
            if self._multiple:
                self.values[name] = []
            else:
                self.values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            if self._multiple:
                self.values[self._select].append(attrs.get("value") or "")
            else:
                self.values[self._select] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data.removeprefix("\n")


def shown_values(html: str, form_id: str) -> dict[str, str | list[str]]:
    """The values of the form `form_id` as the page renders them."""
    parser = _FormValues(form_id)
    parser.feed(html)
    return parser.values
