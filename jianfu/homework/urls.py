from django.urls import path

from jianfu.homework import views
from jianfu.homework.publication import views as public

app_name = "homework"
urlpatterns = [
    # First: the public page is the evening peak's hot path and URLs are tried in order.
    path("p/<str:token>/", public.public_page, name="public"),
    path("p/<str:token>/print/", public.public_print, name="public-print"),
    path("p/<str:token>/qr.svg", public.public_qr, name="public-qr"),
    path("homework/post/", views.post_page, name="post"),
    path("homework/post/preview/", views.post_preview, name="post-preview"),
    path("homework/class/<int:class_id>/", views.class_week_page, name="class-week"),
    path("homework/class/<int:class_id>/grade/", views.grade_week_page, name="grade-week"),
    path("homework/class/<int:class_id>/publish/", views.publish_view, name="publish"),
    path("homework/class/<int:class_id>/quotas/", views.quotas_view, name="quotas"),
    path("homework/item/<int:item_id>/approve/", views.approve_view, name="approve"),
    path("homework/item/<int:item_id>/edit/", views.edit_page, name="edit"),
    path("homework/item/<int:item_id>/withdraw/", views.withdraw_view, name="withdraw"),
    path("homework/mine/", views.mine_page, name="mine"),
    path("homework/overview/", views.overview_page, name="overview"),
    path("homework/exceptions/", views.exceptions_page, name="exceptions"),
    path("homework/exceptions/read/", views.notices_read_view, name="notices-read"),
    path("homework/family/", views.family_page, name="family"),
    path("homework/family/report/", views.family_report, name="family-report"),
]
