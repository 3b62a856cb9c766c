from .recorder import audit_context


class AuditActorMiddleware:
    """Attributes changes made while serving a request to the signed-in user.

    The user is looked up lazily because DRF authenticates tokens inside the view, after this runs; DRF then
    sets the user on the underlying request, which this getter reads.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit_context(actor=lambda: getattr(request, "user", None)):
            return self.get_response(request)
