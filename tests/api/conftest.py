"""No DNS in the test suite: webhook hosts resolve through a stand-in
(matching.webhook_addresses._getaddrinfo), numeric hosts as the system
would read them, names from the `dns` dict a test can change."""

import socket

import pytest

from matching import webhook_addresses

PUBLIC_ADDRESS = "93.184.215.14"


@pytest.fixture(autouse=True)
def dns(monkeypatch) -> dict[str, list[str]]:
    names = {
        "ats.example.test": [PUBLIC_ADDRESS],
        "xn--bcher-kva.example.test": [PUBLIC_ADDRESS],
        "localhost": ["127.0.0.1", "::1"],
        "internal.example.test": ["10.1.2.3"],
        "metadata.example.test": ["169.254.169.254"],
        "mixed.example.test": [PUBLIC_ADDRESS, "192.168.0.7"],
        "mapped.example.test": ["::ffff:127.0.0.1"],
    }

    def getaddrinfo(host: str, port: int) -> list[str]:
        name = host.rstrip(".").lower()
        if name in names:
            return list(names[name])
        # A numeric host (including 2130706433 or 0x7f.1) the way the system reads it; no lookups.
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
        return [info[4][0] for info in infos]

    monkeypatch.setattr(webhook_addresses, "_getaddrinfo", getaddrinfo)
    return names
