"""The census of the official SDKs' operations (issue 16): every operation of both installed
clients — `BssintlClient` (international site) and `BssClient` (China site), 103 operations by
name — is called against the server, and none may be answered as an unknown route, so no
operation silently goes missing.

Each call is made with its request's text fields set to a placeholder and nothing else, so it
reaches its route and is refused there for its input (400, 403 or 404 in the envelope): only
the answer "the API does not exist" (APIG.0101) or an unsupported method counts as missing."""
from huaweicloudsdkbss.v2 import BssClient
from huaweicloudsdkbssintl.v2 import BssintlClient
import huaweicloudsdkbss.v2.model as bss_model
import huaweicloudsdkbssintl.v2.model as intl_model
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

from conftest import _build_client

def _operations(client_class):
    return sorted(m for m in dir(client_class) if not m.startswith("_") and f"_{m}_http_info" in dir(client_class))


def _request(model, operation):
    request = getattr(model, "".join(p.capitalize() for p in operation.split("_")) + "Request")()
    for field, kind in request.openapi_types.items():
        if kind == "str":
            setattr(request, field, "census")
    return request


def _unanswered(client, model):
    missing = set()
    for operation in _operations(type(client)):
        try:
            getattr(client, operation)(_request(model, operation))
        except ClientRequestException as e:
            if e.error_code == "APIG.0101" or e.status_code == 405:
                missing.add(operation)
    return missing


def test_every_operation_of_both_clients_is_answered(endpoint, new_partner):
    partner = new_partner()
    intl = _build_client(BssintlClient, endpoint, partner, {})
    china = _build_client(BssClient, endpoint, partner, {})
    everything = set(_operations(BssintlClient)) | set(_operations(BssClient))
    assert len(everything) == 103, f"the installed SDKs name {len(everything)} operations"
    unanswered = _unanswered(intl, intl_model) | _unanswered(china, bss_model)
    assert not unanswered, f"answered as unknown routes: {sorted(unanswered)}"
