from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from styrkort.organisation.models import OrgUnit
from styrkort.organisation.permissions import restrict


@login_required
def home(request):
    roots = restrict(OrgUnit.objects.filter(depth=1), request.user, "view", unit_field="")
    return render(request, "web/home.html", {"roots": roots})


def health(request):
    """Liveness for load balancers and benchmarks: one trivial query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
