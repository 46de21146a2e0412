from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "jianfu.schools"
    label = "schools"
