from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "jianfu.policies"
    label = "policies"
