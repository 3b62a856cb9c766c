"""A register's pages: the list, a record's page with its actions, and the create/edit form
(docs/architecture.md, "Pages"). Thin views: parse, call one service, render or redirect.

    class NoteList(RecordList):
        register, capability, urls = NOTES, "notes.view", "notes:note"
        template_name = "notes/note_list.html"        # extends registers/list.html
        filters = (Filter("state", "State", NOTE_STATES),)

    class NoteDetail(RecordDetail):
        register, capability, urls = NOTES, "notes.view", "notes:note"
        template_name, context_object_name = "notes/note_detail.html", "note"

        def get_context(self, note, **extra):          # flags and blank forms; `extra` the bound ones
            return {"close_form": extra.get("close_form") or CloseForm(), **extra}

    note_list = NoteList.as_view()
    note_detail = NoteDetail.as_view()
    note_close = NoteDetail.as_view(capability="notes.write", action=Action(
        services.close_note, record="note", form=CloseForm, form_name="close_form", message="Closed."))
    note_add = RecordForm.as_view(register=NOTES, capability="notes.write", urls="notes:note",
        form_class=NoteForm, call=ServiceCall(services.add_note, now=True), template_name=...)

    urlpatterns = register_urls("notes/", "note", list=note_list, detail=note_detail,
        collection={"add": note_add}, record={"close": note_close})      # compliance_site.registers.urls

Anonymous visitors go to the sign-in page; a signed-in user without the capability gets a 403, a record
they may not see a 404. A refused action renders the record's page again with the form's errors (400).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from compliance_site.accounts.permissions import has_capability
from compliance_site.accounts.roles import CAPABILITIES
from compliance_site.paging import CappedCountPaginator

from .register import Register, ServiceCall

PER_PAGE = 25
# Form fields that shape the input rather than carry it: the zone wall-clock times were typed in (the form
# has already applied it to them).
NOT_SERVICE_DATA = frozenset({"time_zone"})


# ---- Helpers ---------------------------------------------------------------------------------------------


def _as_tuple(capability: str | Sequence[str]) -> tuple[str, ...]:
    return (capability,) if isinstance(capability, str) else tuple(capability)


def can_any(user, capabilities: str | Sequence[str]) -> bool:
    return any(has_capability(user, c) for c in _as_tuple(capabilities))


def refused_entry(request, capabilities: str | Sequence[str]):
    """The answer to a visitor who may not open a page: the sign-in page when anonymous, a 403 without any
    of the capabilities; None for one who may."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_any(request.user, capabilities):
        raise PermissionDenied
    return None


def check_capabilities(capabilities: str | Sequence[str]) -> None:
    for capability in _as_tuple(capabilities):
        CAPABILITIES[capability]  # fail when the module or the URLs load, for a misspelt capability


def any_capability_required(*capabilities: str):
    """Like capability_required, for a function view open to the holders of any of several capabilities."""
    check_capabilities(capabilities)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            return refused_entry(request, capabilities) or view(request, *args, **kwargs)

        wrapped.required_capabilities = capabilities
        return wrapped

    return decorator


def add_service_error(form, exc: ValidationError) -> None:
    """Show a service's refusal on the form: on its field when the form has one, else above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def page_of(request, queryset, per_page: int = PER_PAGE):
    return CappedCountPaginator(queryset, per_page).get_page(request.GET.get("page"))


def service_data(form) -> dict:
    if form is None:
        return {}
    return {k: v for k, v in form.cleaned_data.items() if k not in NOT_SERVICE_DATA}


@dataclass(frozen=True)
class Filter:
    """A list filter: a query parameter limited to `choices` (anything else is ignored, as "any")."""

    name: str
    label: str
    choices: Sequence[tuple[str, str]]
    any_label: str = "Any"

    def clean(self, value: str) -> str:
        return value if value in {v for v, _ in self.choices} else ""


# ---- Views -----------------------------------------------------------------------------------------------


class RegisterPage(View):
    """What every page of a register has: its capability (one, or any of several), its register, and its
    URL names (`urls = "namespace:noun"` → `namespace:noun-list`, `namespace:noun-detail`)."""

    register: Register | None = None
    capability: str | tuple[str, ...] = ()
    urls = ""
    template_name = ""

    @classmethod
    def as_view(cls, **initkwargs):
        check_capabilities(initkwargs.get("capability", cls.capability))
        return super().as_view(**initkwargs)

    def dispatch(self, request, *args, **kwargs):
        return refused_entry(request, self.capability) or super().dispatch(request, *args, **kwargs)

    def get_object(self):
        return get_object_or_404(self.register.visible_to(self.request.user), pk=self.kwargs["pk"])

    def url(self, suffix: str, *args) -> str:
        return reverse(f"{self.urls}-{suffix}", args=args)


class RecordList(RegisterPage):
    """GET: the rows the user may see, searched with `q` and the declared filters, a page at a time.

    The template gets `page`, `q`, each filter's value under its name, `filters`, `searched`, and
    `voided_toggle` and `show_voided`.

    voided_toggle: the list offers a "Show voided" box (`show_voided=1`), listing voided records too: the
                   register's selector then takes `include_voided` (docs/architecture.md, "Voiding: void,
                   never delete").
    """

    filters: Sequence[Filter] = ()
    per_page = PER_PAGE
    voided_toggle = False

    def get(self, request, *args, **kwargs):
        q = request.GET.get("q", "").strip()
        values = {f.name: f.clean(request.GET.get(f.name, "")) for f in self.filters}
        show_voided = self.voided_toggle and request.GET.get("show_voided") == "1"
        rows = self.rows(show_voided, **self.search_params(q=q, **values))
        page = page_of(request, rows, self.per_page)
        context = {
            "page": page,
            "q": q,
            **values,
            "filters": [(f, values[f.name]) for f in self.filters],
            "searched": bool(q or any(values.values())),
            "voided_toggle": self.voided_toggle,
            "show_voided": show_voided,
            **self.get_context(),
            **self.get_page_context(page, q=q),
        }
        return render(request, self.template_name, context)

    def rows(self, show_voided: bool, **params):
        if show_voided:
            voided_too = self.register.visible_to(self.request.user, include_voided=True)
            return self.register.listed(voided_too, **params)
        return self.register.rows(self.request.user, **params)

    def search_params(self, **params) -> dict:
        """The parameters of the register's search function (override to add some)."""
        return params

    def get_context(self) -> dict:
        """What else the page shows (override): links the user may follow, choices, totals."""
        return {}

    def get_page_context(self, page, *, q: str) -> dict:
        """What the page shows about the rows of this page (override), read for the page at once: a search's
        snippets, say."""
        return {}


@dataclass(frozen=True)
class Action:
    """A state change posted from a record's page: an optional form, one service, what to say after.

    form_name: the page's name for the form, to show it again with its errors (400) when refused.
    guard:     `guard(user, record) -> str | None`, a refusal (403) checked before the service runs.
    message:   said on success, before going back to the record's page; `done(request, returned)` instead
               decides the answer itself (e.g. to go on to a record the service opened).
    """

    service: Callable
    record: str
    form: type[forms.Form] | None = None
    form_name: str = "form"
    now: bool = False
    data_as: str | None = None
    message: str = ""
    guard: Callable | None = None
    done: Callable | None = None
    call: ServiceCall = field(init=False)

    def __post_init__(self):
        call = ServiceCall(self.service, record=self.record, now=self.now, data_as=self.data_as)
        object.__setattr__(self, "call", call)


class RecordDetail(RegisterPage):
    """GET: one record's page. Routed with an `action` (`as_view(action=Action(...))`), the same class
    serves that action's POST instead, and renders the page again with the errors when it is refused."""

    context_object_name = "object"
    attachments_label = ""  # a link to the record's documents, in the page's footer, when given
    action: Action | None = None

    def get(self, request, *args, **kwargs):
        if self.action is not None:
            return self.http_method_not_allowed(request)
        return self.render(self.get_object())

    def post(self, request, *args, **kwargs):
        if self.action is None:
            return self.http_method_not_allowed(request)
        action, record = self.action, self.get_object()
        form = action.form(request.POST) if action.form is not None else None
        if form is None or form.is_valid():
            refusal = action.guard(request.user, record) if action.guard is not None else None
            if refusal:
                raise PermissionDenied(refusal)
            try:
                returned = action.call(actor=request.user, record=record, data=service_data(form))
            except ValidationError as exc:
                if form is None:
                    return self.render(record, status=400, errors=exc.messages)
                add_service_error(form, exc)
            else:
                if action.done is not None:
                    return action.done(request, returned)
                messages.success(request, action.message)
                return redirect(self.url("detail", record.pk))
        return self.render(record, status=400, **{action.form_name: form})

    def get_context(self, record, **extra) -> dict:
        """The page's flags and forms (override); `extra` holds a refused action's bound form or errors."""
        return extra

    def render(self, record, *, status=200, **extra):
        context = {
            self.context_object_name: record,
            "object": record,
            "record_type": record._meta.label_lower,
            "attachments_label": self.attachments_label,
            **self.get_context(record, **extra),
        }
        return render(self.request, self.template_name, context, status=status)


class RecordForm(RegisterPage):
    """GET: the form; POST: one service, then the record's page. Routed with a pk it edits that record
    (the form's `initial_for(record)` fills it in), else it creates one.

    call:    the service (`ServiceCall`; with `record=` for an edit).
    message: said on success, formatted with `object` (the record); override get_message for more.
    invalid_status: the status of the page shown again with the form's errors.

    A form that comes with a grid of rows (a formset) returns both from `get_forms`, under the names the
    template uses; a service called with more than the form's data overrides `run`. While the page is
    built, `self.record` is the record edited (None on a create).
    """

    form_class: type[forms.Form] | None = None
    call: ServiceCall | None = None
    context_object_name = "object"
    initial: dict = {}
    message = ""
    submit_label = "Save"
    invalid_status = 200

    def get(self, request, *args, **kwargs):
        self.record = record = self.get_object() if "pk" in self.kwargs else None
        refused = self.refuse(record) if record is not None else None
        if refused is not None:
            return refused
        forms = self.get_forms(record)
        if request.method == "POST" and self.is_valid(forms):
            try:
                returned = self.run(record, forms)
            except ValidationError as exc:
                self.show_refusal(forms, exc)
            else:
                return self.succeeded(returned)
        context = {
            **forms,
            self.context_object_name: record,
            "cancel_url": self.cancel_url(record),
            "submit_label": self.submit_label,
            **self.get_context(),
        }
        status = self.invalid_status if forms["form"].errors else 200
        return render(request, self.template_name, context, status=status)

    post = get

    def get_forms(self, record) -> dict:
        """The page's forms by name: `form`, and any grid posted with it."""
        return {"form": self.form_class(self.request.POST or None, initial=self.get_initial(record))}

    def is_valid(self, forms) -> bool:
        """The form, and each grid posted with it (a grid left unbound is not part of this submission),
        all validated so that every error of the page shows at once."""
        return all([f.is_valid() for name, f in forms.items() if name == "form" or f.is_bound])

    def run(self, record, forms):
        """Call the service; what it returns is the record the page goes on to."""
        return self.call(actor=self.request.user, record=record, data=service_data(forms["form"]))

    def show_refusal(self, forms, exc: ValidationError) -> None:
        add_service_error(forms["form"], exc)

    def get_initial(self, record) -> dict:
        return self.form_class.initial_for(record) if record is not None else dict(self.initial)

    def refuse(self, record):
        """A response instead of the edit form, when the record can no longer be changed (override)."""
        return None

    def succeeded(self, record):
        messages.success(self.request, self.get_message(record))
        return redirect(self.success_url(record))

    def success_url(self, record) -> str:
        return self.url("detail", record.pk)

    def cancel_url(self, record) -> str:
        return self.url("detail", record.pk) if record is not None else self.url("list")

    def get_message(self, record) -> str:
        return self.message.format(object=record)

    def get_context(self) -> dict:
        return {}
