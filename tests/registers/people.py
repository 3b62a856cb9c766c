"""A register declared only for the tests of compliance_site.registers: people (the users), with services that
record how they were called. Routes: /registers-test/people/ (pages) and /registers-test/api/people/ (API)."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import include, path
from rest_framework import serializers
from rest_framework.routers import SimpleRouter

from compliance_site.accounts.permissions import has_capability
from compliance_site.registers import Register, ServiceCall
from compliance_site.registers.api import RegisterViewSet, Void, Write, list_filters, partial_input, reads
from compliance_site.registers.urls import register_urls
from compliance_site.registers.views import Action, Filter, RecordDetail, RecordForm, RecordList
from compliance_site.urls import urlpatterns as site_urlpatterns

User = get_user_model()
CALLS: list[tuple[str, dict]] = []


def people_visible_to(user):
    """Everyone active for the program's officers (regfd.view); oneself for anyone else."""
    qs = User.objects.filter(is_active=True)
    return qs if has_capability(user, "regfd.view") else qs.filter(pk=user.pk)


def search_people(qs, *, q: str = "", state: str = ""):
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(first_name__icontains=q))
    if state == "named":
        qs = qs.exclude(first_name="")
    return qs


PEOPLE = Register(people_visible_to, search_people, ("username", "id"))


# ---- Services: each records its keyword arguments --------------------------------------------------------


def add_person(**kwargs):
    CALLS.append(("add_person", kwargs))
    if kwargs["username"] == "taken":
        raise ValidationError({"username": "That name is taken."})
    return User.objects.create(username=kwargs["username"], first_name=kwargs.get("first_name", ""))


def rename_person(**kwargs):
    CALLS.append(("rename_person", kwargs))
    if kwargs["first_name"] == "Nobody":
        raise ValidationError({"first_name": "Not a name."})
    person = kwargs["person"]
    person.first_name = kwargs["first_name"]
    person.save(update_fields=["first_name"])
    return person


def update_person(**kwargs):
    CALLS.append(("update_person", kwargs))
    person = kwargs["person"]
    for name, value in kwargs["data"].items():
        setattr(person, name, value)
    person.save()
    return person


def stamp_person(**kwargs):
    CALLS.append(("stamp_person", kwargs))
    if kwargs["person"].last_name == "Frozen":
        raise ValidationError("This person can no longer be stamped.")
    return kwargs["person"], "stamp"


def void_person(**kwargs):
    CALLS.append(("void_person", kwargs))
    return kwargs["person"]


def not_oneself(user, person) -> str | None:
    return "Nobody renames themselves." if user.pk == person.pk else None


# ---- API -------------------------------------------------------------------------------------------------


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name"]
        read_only_fields = fields


class AddPersonInputSerializer(serializers.Serializer):
    """Add a person."""

    username = serializers.CharField(max_length=150)
    first_name = serializers.CharField(max_length=150, allow_blank=True, required=False, default="")


class RenameInputSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=150)


UpdatePersonInputSerializer = partial_input(AddPersonInputSerializer, "UpdatePersonInputSerializer", "Fix.")
PersonFilterSerializer = list_filters("PersonFilterSerializer", state=["named"], help={"q": "A name."})


class PersonViewSet(RegisterViewSet):
    """People."""

    register = PEOPLE
    serializer_class = PersonSerializer
    filterset = PersonFilterSerializer
    capabilities = {
        **reads("regfd.access"),
        "create": "regfd.manage",
        "rename": ("regfd.manage", "regfd.approve"),
        "update_details": "regfd.manage",
        "stamp": "regfd.manage",
        "void": "regfd.manage",
    }

    create = Write(AddPersonInputSerializer, add_person, now=True)
    rename = Write(RenameInputSerializer, rename_person, record="person", guard=not_oneself)
    update_details = Write(UpdatePersonInputSerializer, update_person, record="person", data_as="data")
    stamp = Write(None, stamp_person, record="person", now=True, result=lambda returned: returned[0])
    void = Void(void_person, record="person")


router = SimpleRouter()
router.register("people", PersonViewSet, basename="person")


# ---- Pages -----------------------------------------------------------------------------------------------


class PersonForm(forms.Form):
    username = forms.CharField(max_length=150)
    first_name = forms.CharField(max_length=150, required=False)
    time_zone = forms.CharField(required=False)  # shapes the input; never passed to a service

    @classmethod
    def initial_for(cls, person):
        return {"username": person.username, "first_name": person.first_name}


class RenameForm(forms.Form):
    first_name = forms.CharField(max_length=150)


class _People:
    register, urls = PEOPLE, "registers-test:person"
    context_object_name = "person"


class PersonList(_People, RecordList):
    capability = "regfd.access"
    template_name = "registers/list.html"
    filters = (Filter("state", "State", [("named", "Named")]),)


class PersonDetail(_People, RecordDetail):
    capability = "regfd.access"
    template_name = "registers/detail.html"
    attachments_label = "Documents"

    def get_context(self, person, **extra):
        return {"rename_form": extra.get("rename_form") or RenameForm(), **extra}


class PersonEdit(_People, RecordForm):
    capability = "regfd.manage"
    template_name = "registers/form.html"
    form_class = PersonForm
    message = "{object.username} saved."

    def refuse(self, person):
        return redirect(self.url("detail", person.pk)) if person.last_name == "Frozen" else None


pages = register_urls(
    "people/",
    "person",
    list=PersonList.as_view(),
    detail=PersonDetail.as_view(),
    collection={"add": ("new", PersonEdit.as_view(call=ServiceCall(add_person, now=True)))},
    record={
        "edit": PersonEdit.as_view(call=ServiceCall(update_person, record="person", data_as="data")),
        "rename": PersonDetail.as_view(
            capability=("regfd.manage", "regfd.approve"),
            action=Action(
                rename_person,
                record="person",
                form=RenameForm,
                form_name="rename_form",
                guard=not_oneself,
                message="Renamed.",
            ),
        ),
        "stamp": PersonDetail.as_view(
            capability="regfd.manage",
            action=Action(stamp_person, record="person", now=True, message="Stamped."),
        ),
    },
)

urlpatterns = [
    *site_urlpatterns,
    path("registers-test/", include((pages, "registers-test"))),
    path("registers-test/api/", include((router.urls, "registers-test-api"))),
]
