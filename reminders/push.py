"""Push notifications through Apprise, and the guard that keeps them off this server's own
network.

An owner's notification URL must not make the server call itself or its neighbors (a cloud's
metadata service at 169.254.169.254, a database on 10.0.0.5): the host the URL names is resolved
and every address it has must be public, unless NOTIFY_ALLOW_PRIVATE_ADDRESSES says otherwise.
Services with a fixed public endpoint (Telegram, Discord, ntfy.sh) put tokens where a host
would be; Apprise knows them by their `notify_url`, and they are not resolved."""

import ipaddress
import logging
import re
import socket
from dataclasses import dataclass

import apprise
from django.conf import settings


class PushError(Exception):
    """A notification URL that is refused or could not be delivered to; the message says why
    in words an owner can act on (and holds no credentials)."""


@dataclass(frozen=True)
class Target:
    plugin: apprise.plugins.NotifyBase


def parse(url: str) -> Target:
    """The Apprise service of `url`, after the address check; PushError when Apprise does not
    know the URL or its host is private."""
    plugin = apprise.Apprise.instantiate(url.strip())
    if plugin is None:
        raise PushError(
            "Apprise does not recognize this URL. Check its scheme (ntfy://, gotify://, "
            "tgram://, json:// ...) and its parts."
        )
    if not settings.NOTIFY_ALLOW_PRIVATE_ADDRESSES:
        for host in hosts_of(plugin):
            check_host(host)
    return Target(plugin)


def masked(url: str) -> str:
    """The URL as the preferences page shows it: Apprise's privacy form, secrets elided, without
    the options Apprise spells out (its defaults, mostly)."""
    plugin = apprise.Apprise.instantiate(url)
    if plugin is None:
        return "(not a URL Apprise knows)"
    return str(plugin.url(privacy=True)).split("?", 1)[0]


def hosts_of(plugin: apprise.plugins.NotifyBase) -> list[str]:
    """The hosts the owner chose for this service: the URL's host for self-hosted ones (JSON,
    ntfy, Gotify, Matrix ...), the mail server for e-mail; none for a fixed public endpoint."""
    hosts = []
    if not getattr(plugin, "notify_url", None) and (host := getattr(plugin, "host", None)):
        hosts.append(str(host))
    if smtp_host := getattr(plugin, "smtp_host", None):
        hosts.append(str(smtp_host))
    return hosts


def check_host(host: str) -> None:
    """PushError unless every address of `host` is a public one."""
    host = host.strip("[]")
    try:
        addresses = {ipaddress.ip_address(host)}
    except ValueError:
        try:
            found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError):
            raise PushError(f"The host {host} could not be found.") from None
        addresses = {ipaddress.ip_address(str(entry[4][0]).split("%")[0]) for entry in found}
    for address in addresses:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if not address.is_global or address.is_multicast:
            raise PushError(
                f"{host} is a private, loopback or link-local address ({address}); this server "
                "does not send notifications there."
            )


_LOG_PREFIX = re.compile(r"^\d{4}-\d\d-\d\d [\d:,.]+ - [A-Z]+ - ")


def send(url: str, *, title: str, body: str) -> None:
    """Deliver one notification, or raise PushError with Apprise's reason."""
    target = parse(url)
    notifier = apprise.Apprise()
    notifier.add(target.plugin)
    with apprise.LogCapture(level=logging.WARNING) as captured:
        delivered = notifier.notify(title=title, body=body)
    if not delivered:
        lines = [line.strip() for line in captured.getvalue().splitlines() if line.strip()]
        # Apprise's log lines start with a time stamp and a level: the owner reads the reason.
        reason = _LOG_PREFIX.sub("", lines[-1]) if lines else "the service did not accept it"
        raise PushError(f"Not delivered: {reason}")
