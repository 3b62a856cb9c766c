from django.apps import AppConfig, apps


class ComplianceSiteConfig(AppConfig):
    name = "compliance_site"
    verbose_name = "Compliance site"

    def ready(self):
        # Every model's free texts are bounded in full_clean, which every service runs before saving
        # (compliance_site/lib/limits.py); all apps are loaded by now, whatever their order.
        from compliance_site.lib.limits import install_model_limits

        install_model_limits(apps.get_models())
