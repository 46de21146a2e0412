from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "jianfu.cases"
    label = "cases"
    verbose_name = "家长监督举报"
