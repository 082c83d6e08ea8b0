"""Styrkort's URLs and a form whose answer redirects where the form says (another site
or this one), for tests/security/test_leaving_the_site.py."""

from django.http import HttpResponse, HttpResponseRedirect
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

FORM = """<!doctype html><html lang="sv"><head><title>Formulär</title></head><body><main>
<form method="post" action="/test/lamna/"><input type="hidden" name="to" value="{to}">
<input type="hidden" name="status" value="{status}"><button>Skicka</button></form>
</main></body></html>"""


@csrf_exempt
def leave(request):
    if request.method == "POST":
        response = HttpResponseRedirect(request.POST["to"])
        response.status_code = int(request.POST.get("status", 302))
        return response
    return HttpResponse(
        FORM.format(to=request.GET.get("to", "/"), status=request.GET.get("status", "302"))
    )


urlpatterns = [path("test/lamna/", leave), path("", include("styrkort.urls"))]
