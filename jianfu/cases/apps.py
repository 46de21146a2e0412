from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "jianfu.cases"
    label = "cases"
    verbose_name = _("家长监督举报")
