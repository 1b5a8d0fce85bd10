"""Fixtures for the browser journeys (crates/partner-center/tests/browser.rs starts the server).

Environment, set by the harness:
  OPC_ENDPOINT      the server's base URL
  OPC_CLI           the partner-center binary, for operator set-up and reading the outbox
  OPC_DATABASE_URL  the server's database (the CLI's --database-url)
  OPC_CHROMIUM      Chromium's executable (default /usr/bin/chromium)
  OPC_SCREENSHOTS   where each journey saves its screenshots
"""
import json
import os
import re
import subprocess
import urllib.request
import uuid

import pytest
from playwright.sync_api import sync_playwright

for _var in ("NO_PROXY", "no_proxy"):
    os.environ[_var] = ",".join(filter(None, [os.environ.get(_var), "127.0.0.1", "localhost"]))


def _env(name, default=None):
    value = os.environ.get(name, default)
    if not value:
        pytest.fail(f"{name} is not set", pytrace=False)
    return value


@pytest.fixture(scope="session")
def endpoint():
    return _env("OPC_ENDPOINT")


class Cli:
    """Runs `partner-center --database-url URL <args>` against the server's database."""

    def __init__(self):
        self._base = [_env("OPC_CLI"), "--database-url", _env("OPC_DATABASE_URL")]

    def __call__(self, *args, stdin=None):
        done = subprocess.run([*self._base, *args], input=stdin, capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise AssertionError(f"partner-center {' '.join(args)} failed: {done.stderr.strip()}")
        return json.loads(done.stdout) if "--json" in args else done.stdout

    def code_for(self, email):
        """The newest verification code emailed to `email` (read from the outbox)."""
        for n in self("admin", "notifications", "list", "--to", email, "--json"):
            found = re.search(r"\b(\d{6})\b", n["body"])
            if found:
                return found.group(1)
        raise AssertionError(f"no verification code was sent to {email}")

    def partner(self, name, email, password):
        return self("admin", "partner", "create", "--name", name, "--country", "SG", "--program", "csp",
                    "--email", email, "--json", stdin=password + "\n")


@pytest.fixture(scope="session")
def cli():
    return Cli()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=_env("OPC_CHROMIUM", "/usr/bin/chromium"), headless=True,
                              args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def new_page(browser, endpoint):
    """Opens a page in a fresh browser context (its own cookies): one per person."""
    contexts = []

    def make(width=1280, height=900):
        context = browser.new_context(base_url=endpoint, viewport={"width": width, "height": height})
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        return page

    yield make
    for c in contexts:
        c.close()


@pytest.fixture(scope="session")
def shots():
    folder = _env("OPC_SCREENSHOTS", "target/screenshots")
    os.makedirs(folder, exist_ok=True)

    def save(page, name):
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)

    return save


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def sign_in(page, login, password, then="/"):
    page.goto(f"/login?next={then}")
    page.get_by_label("Login ID or email").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def api(endpoint, method, path, body=None, token=None):
    """A console API call (for set-up that no journey is about)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(endpoint + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(req) as r:
        raw = r.read()
        return json.loads(raw) if raw else None
