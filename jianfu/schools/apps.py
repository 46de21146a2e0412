from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "jianfu.schools"
    label = "schools"

    def ready(self) -> None:
        # Parent activation (accounts) finds guardians in the roster through this directory:
        # accounts sits below schools and does not import it (decision 0039).
        from jianfu.accounts.services import guardian_directory_set
        from jianfu.schools.families.services import RosterGuardians

        guardian_directory_set(RosterGuardians())
