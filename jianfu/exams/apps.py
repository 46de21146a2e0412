from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "jianfu.exams"
    label = "exams"
    verbose_name = "考试管理"
