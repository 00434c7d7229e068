"""Read-only GETs on the Networking API, with the credentials of an openrc file: standard library
only, so that this file runs as it is on any controller.

The lab client (l3ha_guide.ha_router) asks the same few questions many times
while it waits for a failover (the router's ID, its agents' HA states, whether
an agent is alive). One client command spends 1.5 to 2.5 s starting Python and
loading its plugins; this file answers in about 0.1 s. The client runs it on
the controller after sourcing the openrc:

    python3 -c "$SOURCE" 'routers?name=demo-router&fields=id'

It signs in to Identity with OS_USERNAME and OS_PASSWORD, takes the Networking
endpoint (OS_INTERFACE, public by default) from the token's catalog, GETs each
path under /v2.0/ and prints the bodies as one JSON list. Errors go to stderr,
with exit status 1.
"""

import json
import os
import ssl
import sys
import urllib.error
import urllib.request

TIMEOUT = 30  # seconds per request


def _open(request: urllib.request.Request):
    cafile = os.environ.get("OS_CACERT")
    context = ssl.create_default_context(cafile=cafile) if cafile else None
    return urllib.request.urlopen(request, timeout=TIMEOUT, context=context)


def _sign_in() -> tuple[str, str]:
    """(token, Networking endpoint URL) for the openrc's user and project."""
    environ = os.environ

    def named(name: str, domain: str) -> dict:
        return {"name": name, "domain": {"name": environ.get(domain, "Default")}}

    user = named(environ["OS_USERNAME"], "OS_USER_DOMAIN_NAME") | {"password": environ["OS_PASSWORD"]}
    body = {
        "auth": {
            "identity": {"methods": ["password"], "password": {"user": user}},
            "scope": {"project": named(environ["OS_PROJECT_NAME"], "OS_PROJECT_DOMAIN_NAME")},
        }
    }
    auth_url = environ["OS_AUTH_URL"].rstrip("/")
    if not auth_url.endswith("/v3"):
        auth_url += "/v3"
    request = urllib.request.Request(
        f"{auth_url}/auth/tokens", json.dumps(body).encode(), {"Content-Type": "application/json"}
    )
    with _open(request) as response:
        token = response.headers["X-Subject-Token"]
        catalog = json.load(response)["token"]["catalog"]
    interface = environ.get("OS_INTERFACE", "public").removesuffix("URL")
    region = environ.get("OS_REGION_NAME")
    for service in catalog:
        for endpoint in service["endpoints"] if service["type"] == "network" else ():
            if endpoint["interface"] == interface and region in (None, endpoint["region_id"]):
                return token, endpoint["url"].rstrip("/")
    sys.exit(f"no {interface} network endpoint in the catalog of {auth_url}")


def main(paths: list[str]) -> None:
    try:
        token, endpoint = _sign_in()
        bodies = []
        for path in paths:
            request = urllib.request.Request(f"{endpoint}/v2.0/{path}", headers={"X-Auth-Token": token})
            with _open(request) as response:
                bodies.append(json.load(response))
    except (urllib.error.URLError, OSError, KeyError, ValueError) as error:
        sys.exit(f"Networking API: {error}")
    print(json.dumps(bodies))


if __name__ == "__main__":
    main(sys.argv[1:])
