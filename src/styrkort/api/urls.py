"""URLs of the REST API under /api/: the resources, the token endpoints, the OpenAPI schema
and its documentation page. Anything else under /api/ is a JSON 404.

The schema needs an authenticated request (a token or a session); the documentation page
(Swagger UI, served with its init script from Styrkort itself: no CDN, no inline script)
needs a signed-in user and sends anyone else to the login page."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import DefaultRouter

from . import token_views, viewsets

router = DefaultRouter()
router.include_root_view = False
router.register("units", viewsets.OrgUnitViewSet, basename="orgunit")
router.register("plans", viewsets.PlanViewSet, basename="plan")
router.register("goals", viewsets.GoalViewSet, basename="goal")
router.register("indicators", viewsets.IndicatorViewSet, basename="indicator")
router.register("plan-indicators", viewsets.PlanIndicatorViewSet, basename="planindicator")
router.register("targets", viewsets.TargetViewSet, basename="target")
router.register("outcomes", viewsets.OutcomeViewSet, basename="outcome")
router.register("analyses", viewsets.AnalysisViewSet, basename="analysis")
router.register("activities", viewsets.ActivityViewSet, basename="activity")
router.register("assignments", viewsets.AssignmentViewSet, basename="assignment")
router.register("activity-reports", viewsets.ActivityReportViewSet, basename="activityreport")
router.register("risks", viewsets.RiskViewSet, basename="risk")
router.register("controls", viewsets.ControlViewSet, basename="control")
router.register("control-results", viewsets.ControlResultViewSet, basename="controlresult")
router.register("ledger-lines", viewsets.LedgerLineViewSet, basename="ledgerline")
router.register("amounts", viewsets.AmountViewSet, basename="amount")
router.register("frames", viewsets.FrameViewSet, basename="frame")
router.register("investments", viewsets.InvestmentViewSet, basename="investment")
router.register("investment-frames", viewsets.InvestmentFrameViewSet, basename="investmentframe")
router.register("rounds", viewsets.RoundViewSet, basename="round")


@csrf_exempt
def not_found(request, *args, **kwargs):
    return JsonResponse({"detail": _("Finns inte.")}, status=404)


urlpatterns = [
    path(
        "schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"
    ),
    path(
        "docs/",
        login_required(
            SpectacularSwaggerSplitView.as_view(
                url_name="schema", template_name="api/swagger_ui.html"
            )
        ),
        name="api-docs",
    ),
    path("token/", token_views.ObtainTokenView.as_view(), name="api-token"),
    path("token/logout/", token_views.LogoutView.as_view(), name="api-token-logout"),
    path("tokens/", token_views.TokenListView.as_view(), name="api-tokens"),
    path(
        "tokens/revoke-all/",
        token_views.RevokeAllTokensView.as_view(),
        name="api-tokens-revoke-all",
    ),
    path("tokens/<str:token_id>/", token_views.TokenDetailView.as_view(), name="api-token-detail"),
    *router.urls,
    re_path(r"^.*$", not_found),
]
