from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from motovault.request_types import AuthenticatedHttpRequest
from recalls.models import RecallStatus, VehicleRecall


@require_POST
def set_status(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """Mark one of the owner's recalls done, not applicable, or open again (the undo)."""
    recall = VehicleRecall.objects.select_related("vehicle", "campaign").owned_or_404(
        request.user, pk
    )
    status = request.POST.get("status", "")
    if status not in RecallStatus.values:
        messages.error(request, "Choose whether the recall is done or does not apply.")
        return redirect(recall.vehicle)
    if status != recall.status:
        VehicleRecall.objects.filter(pk=recall.pk).update(
            status=status, status_changed_at=timezone.now()
        )
    number = recall.campaign.campaign_number
    said = {
        RecallStatus.DONE: f"Recall {number} is marked done.",
        RecallStatus.NOT_APPLICABLE: f"Recall {number} is marked as not applicable.",
        RecallStatus.OPEN: f"Recall {number} is open again.",
    }
    messages.success(request, said[RecallStatus(status)])
    return redirect(recall.vehicle)
