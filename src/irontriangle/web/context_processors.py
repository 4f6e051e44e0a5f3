from typing import Any

from django.http import HttpRequest

from irontriangle.common.access import viewer_of
from irontriangle.notifications.selectors import unread_count


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the layout needs on every page: the viewer and the bell's unread count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    who = viewer_of(user)
    return {"viewer": who, "unread_notifications": unread_count(who)}
