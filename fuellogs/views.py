from django.shortcuts import render


def index(request):
    return render(request, "fuellogs/index.html")
