from allauth.account.internal.flows.login import perform_password_login
from allauth.account.models import Login
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from compliance_site.calendar_feed.selectors import live_link_of

from .forms import LoginForm, PreferencesForm
from .services import update_preferences


class LoginView(auth_views.LoginView):
    """The password, checked here (django-axes counts the failures and locks out); then allauth's login
    flow, which asks whoever has a second factor for it before the session is signed in."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    authentication_form = LoginForm

    def form_valid(self, form):
        login = Login(user=form.get_user(), redirect_url=self.get_success_url())
        return perform_password_login(self.request, {"username": form.cleaned_data["username"]}, login)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Single sign-on buttons: one per provider the environment configures (none by default).
        context["sso_providers"] = get_social_adapter(self.request).list_providers(self.request)
        return context


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = "/accounts/preferences/"

    def form_valid(self, form):
        messages.success(self.request, "Your password was changed.")
        return super().form_valid(form)


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        update_preferences(actor=request.user, user=request.user, data=form.cleaned_data)
        messages.success(request, "Preferences saved.")
        return redirect("accounts:preferences")
    context = {"form": form, "calendar_link": live_link_of(request.user)}
    return render(request, "accounts/preferences.html", context)
