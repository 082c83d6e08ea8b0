from django.urls import include, path

from .views import (
    activities,
    assessments,
    auth,
    comparisons,
    economy,
    exports,
    general,
    history,
    imports,
    indicators,
    jobs,
    overview,
    planning,
    reminders,
    reporting,
    reports,
    risk,
    scorecard,
    search,
    second_factor,
    tokens,
)

unit = "enheter/<slug:code>/"
plan = "planer/<slug:plan_code>/"

urlpatterns = [
    path("", general.home, name="home"),
    path("logga-in/", auth.LoginView.as_view(), name="login"),
    path("logga-ut/", auth.LogoutView.as_view(), name="logout"),
    path("logga-in/tvastegs/", second_factor.verify, name="second_factor"),
    path("logga-in/tvastegs/ny/", second_factor.setup, name="second_factor_setup"),
    path("konto/nycklar/", tokens.api_tokens, name="api_tokens"),
    path("halsa/", general.health, name="health"),
    path("halsa/redo/", general.readiness, name="readiness"),
    path("tillganglighet/", general.accessibility, name="accessibility"),
    path("enheter/", general.tree, name="tree"),
    path("sok/", search.search_page, name="search"),
    path("kolada/nyckeltal/", comparisons.kpi_catalogue, name="kolada_kpis"),
    path("bakgrundsjobb/", jobs.jobs_page, name="jobs_page"),
    path("installningar/paminnelser/", reminders.reminder_settings, name="reminder_settings"),
    path("installningar/ersattare/", reminders.substitutes, name="substitutes"),
    path("uppfoljning/", include("styrkort.web.round_urls")),
    path("administration/", include("styrkort.web.administration_urls")),
    # Scorecard and indicators
    path(unit, scorecard.unit_home, name="unit"),
    path(unit + "styrkort/", scorecard.scorecard, name="scorecard"),
    path(unit + "styrkort/tabell.<str:fmt>", exports.scorecard_export, name="scorecard_export"),
    path(
        unit + "styrkort/<slug:indicator_code>/underenheter/",
        scorecard.subunits,
        name="scorecard_subunits",
    ),
    path(
        unit + "styrkort/<slug:indicator_code>/sida-vid-sida/",
        overview.units_side_by_side,
        name="side_by_side",
    ),
    path(unit + "oversikt/", overview.overview, name="overview"),
    path(
        unit + "indikatorer/<slug:indicator_code>/",
        indicators.indicator_detail,
        name="indicator_detail",
    ),
    path(
        unit + "indikatorer/<slug:indicator_code>/tabell.<str:fmt>",
        exports.indicator_export,
        name="indicator_export",
    ),
    path(
        unit + "indikatorer/<slug:indicator_code>/historik/",
        history.indicator_history,
        name="indicator_history",
    ),
    path(unit + "mal/<int:goal_id>/historik/", history.goal_history, name="goal_history"),
    # Reporting outcomes and analyses
    path(unit + "rapportera/", reporting.reporting, name="reporting"),
    path(
        unit + "rapportera/<slug:indicator_code>/",
        reporting.report_indicator,
        name="report_indicator",
    ),
    path(
        unit + "rapportera/<slug:indicator_code>/ta-bort/",
        reporting.delete_outcome,
        name="delete_outcome",
    ),
    path(
        unit + "rapportera/<slug:indicator_code>/status/",
        reporting.report_preview,
        name="report_preview",
    ),
    # Activities and assignments
    path(unit + "aktiviteter/", activities.activity_list, name="activity_list"),
    path(unit + "aktiviteter/tabell.<str:fmt>", exports.activity_export, name="activity_export"),
    path(
        unit + "aktiviteter/<int:activity_id>/rapport/",
        activities.activity_report,
        name="activity_report",
    ),
    # Planning
    path(unit + "planer/", planning.plan_list, name="plan_list"),
    path(plan, planning.plan_detail, name="plan_detail"),
    path(plan + "kopiera/", planning.plan_copy, name="plan_copy"),
    path(plan + "faststall/", planning.plan_adopt, name="plan_adopt"),
    path(plan + "historik/", history.plan_history, name="plan_history"),
    path(plan + "mal/nytt/", planning.goal_create, name="goal_create"),
    path("malvarde-tolkning/", planning.target_reading_fragment, name="target_reading"),
    path(plan + "mal/<int:goal_id>/", planning.goal_edit, name="goal_edit"),
    path(plan + "mal/<int:goal_id>/ta-bort/", planning.goal_delete, name="goal_delete"),
    path(
        plan + "mal/<int:goal_id>/indikatorer/ny/",
        planning.placement_create,
        name="placement_create",
    ),
    path(
        plan + "indikatorer/<int:placement_id>/",
        planning.placement_edit,
        name="placement_edit",
    ),
    path(
        plan + "indikatorer/<int:placement_id>/ta-bort/",
        planning.placement_delete,
        name="placement_delete",
    ),
    path(plan + "aktiviteter/ny/", planning.activity_create, name="activity_create"),
    path(
        plan + "aktiviteter/<int:activity_id>/",
        planning.activity_edit,
        name="activity_edit",
    ),
    path(
        plan + "malvarden/<int:target_id>/ta-bort/",
        planning.target_delete,
        name="target_delete",
    ),
    # Reports (background jobs with progress and a download)
    path(unit + "rapporter/", reports.report_page, name="report_page"),
    path(unit + "rapporter/<int:job_id>/", reports.report_job, name="report_job"),
    path(
        unit + "rapporter/<int:job_id>/ladda-ner/",
        reports.report_download,
        name="report_download",
    ),
    # Imports
    path("import/", imports.import_page, name="import_page"),
    path("import/<int:job_id>/", imports.import_job, name="import_job"),
    # Manual assessments and goal analyses
    path(
        unit + "indikatorer/<slug:indicator_code>/bedomning/",
        assessments.indicator_assessment,
        name="indicator_assessment",
    ),
    path(unit + "mal/<int:goal_id>/", assessments.goal_followup, name="goal_followup"),
    path(
        unit + "bedomningar/<int:assessment_id>/ta-bort/",
        assessments.assessment_withdraw,
        name="assessment_withdraw",
    ),
    # Risks and internal control
    path("risker/<slug:code>/", risk.risk_matrix, name="risk_matrix"),
    path("risker/<slug:code>/tabell.<str:fmt>", exports.risk_export, name="risk_export"),
    path("risker/<slug:code>/ny/", risk.risk_edit, name="risk_create"),
    path("risker/<slug:code>/<int:risk_id>/", risk.risk_edit, name="risk_edit"),
    path("risker/<slug:code>/<int:risk_id>/ta-bort/", risk.risk_delete, name="risk_delete"),
    path(
        "risker/<slug:code>/kontroller/<int:control_id>/<str:period>/",
        risk.control_result,
        name="control_result",
    ),
    # Economy
    path("ekonomi/<slug:code>/", economy.economy, name="economy"),
    path("ekonomi/<slug:code>/tabell.<str:fmt>", exports.economy_export, name="economy_export"),
]
