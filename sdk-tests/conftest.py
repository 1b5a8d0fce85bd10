"""Fixtures for driving a running Open Partner Center with the official, unmodified Huawei Cloud SDK.

The Rust harness (crates/partner-center/tests/sdk.rs) starts the server and sets:
  OPC_ENDPOINT      base URL of the partner API, e.g. http://127.0.0.1:38123
  OPC_CLI           path to the partner-center binary (used for admin set-up)
  OPC_DATABASE_URL  the database that server uses; passed to the CLI as --database-url
  OPC_MASTER_KEY    not read here; the CLI inherits it through the environment
"""
import json
import os
import subprocess
import time
import uuid

import pytest
from huaweicloudsdkbss.v2 import BssClient
from huaweicloudsdkbssintl.v2 import BssintlClient
from huaweicloudsdkcore.auth.credentials import GlobalCredentials
from huaweicloudsdkcore.http.http_config import HttpConfig

# The server is local: never send its traffic through a proxy taken from the environment.
for _var in ("NO_PROXY", "no_proxy"):
    os.environ[_var] = ",".join(filter(None, [os.environ.get(_var), "127.0.0.1", "localhost"]))


def _env(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set (see sdk-tests/README.md)", pytrace=False)
    return value


@pytest.fixture(scope="session")
def endpoint():
    return _env("OPC_ENDPOINT")


class Admin:
    """Runs `partner-center --database-url URL <args>` against the server's database."""

    def __init__(self, cli, database_url):
        self._base = [cli, "--database-url", database_url]

    def run(self, *args):
        """Runs the CLI and returns the CompletedProcess, whatever the exit status."""
        return subprocess.run([*self._base, *args], capture_output=True, text=True, timeout=60)

    def __call__(self, *args):
        """Runs the CLI, which must succeed; returns parsed JSON when --json is given, else stdout."""
        done = self.run(*args)
        if done.returncode != 0:
            raise AssertionError(
                f"partner-center {' '.join(args)} exited with {done.returncode}: {done.stderr.strip()}")
        return json.loads(done.stdout) if "--json" in args else done.stdout

    def expect_failure(self, *args):
        """Runs the CLI, which must fail; returns the CompletedProcess for checks on stderr."""
        done = self.run(*args)
        assert done.returncode != 0, f"partner-center {' '.join(args)} succeeded: {done.stdout.strip()}"
        return done


@pytest.fixture(scope="session")
def admin():
    return Admin(_env("OPC_CLI"), _env("OPC_DATABASE_URL"))


@pytest.fixture
def new_partner(admin):
    """Factory: new_partner(program="csp", distributor=None) creates a partner through the CLI and
    returns its dict with partner_id, domain_id, access_key, secret_key and name (the --name given)."""

    def create(program="csp", distributor=None):
        name = f"SDK test {program} {uuid.uuid4().hex[:8]}"
        args = ["admin", "partner", "create", "--name", name, "--country", "SG", "--program", program]
        if distributor is not None:
            args += ["--distributor", distributor]
        partner = admin(*args, "--json")
        missing = {"partner_id", "domain_id", "access_key", "secret_key"} - partner.keys()
        assert not missing, f"admin partner create --json lacks {sorted(missing)}: {partner}"
        partner.setdefault("name", name)
        return partner

    return create


@pytest.fixture
def client_for(endpoint):
    """Factory: client_for(partner, access_key=..., secret_key=..., domain_id=...) builds a
    BssintlClient for the partner's credentials; keyword arguments override single parts."""

    return lambda partner, **override: _build_client(BssintlClient, endpoint, partner, override)


@pytest.fixture
def bss_client_for(endpoint):
    """Factory like client_for, but builds the China-site BssClient (huaweicloudsdkbss), whose
    models carry the China-site variant fields (mobile_phone, cooperation_type, ...)."""
    return lambda partner, **override: _build_client(BssClient, endpoint, partner, override)


def _build_client(client_class, endpoint, partner, override):
    creds = {k: partner[k] for k in ("access_key", "secret_key", "domain_id")}
    creds.update(override)
    config = HttpConfig.get_default_config()
    config.timeout = (10, 30)  # fail fast against a local server; retry_times stays 0
    return (client_class.new_builder()
            .with_http_config(config)
            .with_credentials(GlobalCredentials(creds["access_key"], creds["secret_key"], creds["domain_id"]))
            .with_endpoint(endpoint)
            .build())


def next_second():
    """Waits for the clock's next second. The signature dates a request to the second, so the
    same write sent again within one second is one request, answered once: its second sending
    gets the first answer (`Idempotent-Replayed: true`). A test that means a second request of
    the same write sends it in the next second."""
    time.sleep(1.01 - time.time() % 1)
