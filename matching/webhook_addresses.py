"""Where webhooks may go (SSRF guard): only to public internet addresses.

A receiver's URL is chosen by a company's admin (web page or API, scope
`webhooks:manage`), and we POST to it from inside our network. Without a
guard it could point at our own services, the cloud's metadata endpoint
(169.254.169.254) or anything else reachable only from here. So:

- when a receiver is added or changed, `check_webhook_url` refuses anything
  but https (http only where TSUNAGU_WEBHOOK_ALLOW_HTTP), user names and
  passwords in the URL, hosts written as odd numbers (2130706433, 0x7f.1,
  0177.0.0.1), names that do not resolve, and any host that resolves to a
  loopback, private (RFC 1918), link-local, CGNAT, unique-local, multicast,
  unspecified or otherwise reserved address, also in IPv4-mapped, 6to4,
  Teredo or NAT64 form;
- at delivery time `guarded_session` resolves the host again (DNS can
  change), checks every address and connects to the address it checked, so
  a second lookup cannot swap it; redirects are never followed.

TSUNAGU_WEBHOOK_ALLOWED_NETWORKS lists networks exempt from the rule, for a
local receiver in development and tests only: production.py empties it.
"""

import ipaddress
import re
import socket
from urllib.parse import urlsplit

import idna
import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NameResolutionError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_URL_LENGTH = 500

# 64:ff9b::/96 (RFC 6052) and 64:ff9b:1::/48 (RFC 8215) carry an IPv4 address
# in their last 32 bits; a NAT64 gateway would connect to it.
_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))
# Not in every Python's idea of "private" (3.11.7 counts it as global).
_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")

MESSAGES = {
    "scheme": _("The address must start with https://."),
    "userinfo": _("Leave out any user name or password: give the receiver's address only."),
    "host": _("Give the host as a name (like ats.example.com) or a plain IP address."),
    "length": _("The address is too long: at most %(limit)d characters."),
    "unresolved": _("We could not find this host. Check the address."),
    "private": _(
        "This address is in a private, local or reserved network. Webhooks go only to addresses on the public internet."
    ),
}


class RefusedAddress(Exception):
    """A delivery would have gone to an address the rule refuses."""


def _error(code: str, **params: int) -> ValidationError:
    return ValidationError({"url": ValidationError(MESSAGES[code], code=code, params=params or None)})


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    embedded = [address.ipv4_mapped, address.sixtofour, address.teredo[1] if address.teredo else None]
    if any(address in network for network in _NAT64):
        embedded.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    # ::a.b.c.d (IPv4-compatible, deprecated) still reaches a.b.c.d on some stacks.
    if int(address) >> 32 == 0 and int(address) > 1:
        embedded.append(ipaddress.IPv4Address(int(address)))
    return [a for a in embedded if a is not None]


def _allowed_by_setting(address: IPAddress) -> bool:
    for network in settings.TSUNAGU_WEBHOOK_ALLOWED_NETWORKS:
        net = ipaddress.ip_network(network, strict=False)
        if address.version == net.version and address in net:
            return True
    return False


def _is_public(address: IPAddress) -> bool:
    if (
        not address.is_global
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    ):
        return False
    if isinstance(address, ipaddress.IPv4Address):
        return address not in _CGNAT
    if address.is_site_local:
        return False
    return all(_is_public(v4) for v4 in _embedded_ipv4(address))


def address_allowed(address: IPAddress) -> bool:
    """Whether a webhook may be sent to this address."""
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id:
        return False
    return _is_public(address) or _allowed_by_setting(address)


def _getaddrinfo(host: str, port: int) -> list[str]:
    """The host's addresses (a seam for tests: no DNS in the test suite)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def resolve_allowed(host: str, port: int) -> list[IPAddress]:
    """Every address the host resolves to, if all of them are allowed
    (one refused address refuses the host: the resolver may pick any).
    Raises RefusedAddress, or socket.gaierror if it does not resolve."""
    addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in _getaddrinfo(host, port)]
    if not addresses:
        raise socket.gaierror(f"no address for {host}")
    refused = [a for a in addresses if not address_allowed(a)]
    if refused:
        raise RefusedAddress(f"{host} resolves to {refused[0]}, which is not a public address")
    return addresses


_NUMBER = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")
_HOST_NAME = re.compile(r"^[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$")


def _normalised_host(raw: str) -> str:
    """The ASCII host requests would connect to (IDNA/UTS 46, as requests
    does), or a ValidationError."""
    try:
        host = raw if raw.isascii() else idna.encode(raw, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        raise _error("host") from None
    host = host.lower()
    if not _HOST_NAME.match(host):
        raise _error("host")
    # WHATWG URLs read a host whose last label is a number as an IPv4
    # address, and so does inet_aton: 2130706433, 0x7f.1 and 0177.0.0.1 are
    # all 127.0.0.1. Only the plain dotted form is accepted.
    if _NUMBER.match(host.rstrip(".").rsplit(".", 1)[-1]):
        try:
            return str(ipaddress.IPv4Address(host))
        except ValueError:
            raise _error("host") from None
    return host


def check_webhook_url(url: str) -> None:
    """Refuse a receiver URL the rule does not allow (ValidationError on
    `url`, with a message in the admin's language). Resolves the host."""
    if len(url) > MAX_URL_LENGTH:
        raise _error("length", limit=MAX_URL_LENGTH)
    if any(c.isspace() or ord(c) < 0x20 or c == "\\" for c in url):
        raise _error("host")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _error("host") from None
    scheme = parts.scheme.lower()
    if scheme != "https" and not (scheme == "http" and settings.TSUNAGU_WEBHOOK_ALLOW_HTTP):
        raise _error("scheme")
    if "@" in parts.netloc:
        raise _error("userinfo")
    if not parts.hostname:
        raise _error("host")
    literal: IPAddress | None
    if "[" in parts.netloc:
        try:
            literal = ipaddress.IPv6Address(parts.hostname)
        except ValueError:
            raise _error("host") from None
        host = parts.hostname
    else:
        host = _normalised_host(parts.hostname)
        try:
            literal = ipaddress.IPv4Address(host)
        except ValueError:
            literal = None
    if literal is not None:
        if not address_allowed(literal):
            raise _error("private")
        return
    try:
        resolve_allowed(host, port or (443 if scheme == "https" else 80))
    except RefusedAddress:
        raise _error("private") from None
    except (OSError, UnicodeError, ValueError):
        raise _error("unresolved") from None


# --- Delivery: connect only to the address that was checked --------------------------------


class _GuardedConnectionMixin:
    """Resolves the host, checks every address, then connects to a checked
    address (TLS still checks the certificate against the host name)."""

    _dns_host: str
    port: int

    def _new_conn(self):
        host = self._dns_host.strip("[]")
        try:
            addresses = resolve_allowed(host, self.port)
        except socket.gaierror as exc:
            raise NameResolutionError(host, self, exc) from exc  # type: ignore[arg-type]
        name = self._dns_host
        self._dns_host = str(addresses[0])
        try:
            return super()._new_conn()  # type: ignore[misc]
        finally:
            self._dns_host = name


class _GuardedHTTPConnection(_GuardedConnectionMixin, HTTPConnection):
    pass


class _GuardedHTTPSConnection(_GuardedConnectionMixin, HTTPSConnection):
    pass


class _GuardedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class _GuardedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _GuardedHTTPConnectionPool,
            "https": _GuardedHTTPSConnectionPool,
        }


def guarded_session() -> requests.Session:
    """A session for webhook deliveries: every connection goes through the
    address rule; no proxies from the environment (they would connect for
    us, unchecked). Callers pass allow_redirects=False: a redirect is the
    receiver's answer, never followed."""
    session = requests.Session()
    session.trust_env = False
    adapter = _GuardedAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
