from django.apps import AppConfig


class AfterschoolConfig(AppConfig):
    name = "jianfu.afterschool"
    label = "afterschool"
    verbose_name = "课后服务"
