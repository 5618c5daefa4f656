from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "attachments"

    def ready(self) -> None:
        # Files leave storage when their rows are deleted, whoever deletes them (a record, a
        # vehicle, an account): the receiver is on this app's own model.
        from attachments import models

        models.connect_file_deletion()
