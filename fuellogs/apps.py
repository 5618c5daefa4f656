from django.apps import AppConfig


class FuellogsConfig(AppConfig):
    name = "fuellogs"
