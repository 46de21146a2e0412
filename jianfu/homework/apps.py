from django.apps import AppConfig


class HomeworkConfig(AppConfig):
    name = "jianfu.homework"
    label = "homework"
    verbose_name = "作业管理"
