"""Foundation: partners created by the admin CLI reach the partner API through the unmodified SDK,
and every bad credential is refused the way Huawei Cloud refuses it."""
import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkbssintl.v2.model import ListSubCustomersRequest, QuerySubCustomerListReq


def list_sub_customers(client):
    return client.list_sub_customers(ListSubCustomersRequest(body=QuerySubCustomerListReq(offset=0, limit=10)))


def assert_refused(client):
    with pytest.raises(ClientRequestException) as refused:
        list_sub_customers(client)
    e = refused.value
    assert (e.status_code, e.error_code) == (401, "CBC.0154"), str(e)
    assert e.request_id, f"no X-Request-Id on the 401: {e}"


def test_new_csp_partner_has_no_sub_customers(new_partner, client_for):
    """A brand-new CSP partner's signed list_sub_customers call succeeds (HTTP 200) with an empty list."""
    resp = list_sub_customers(client_for(new_partner("csp")))
    assert resp.status_code == 200
    assert resp.customer_infos == []
    assert resp.count == 0


def test_wrong_secret_key_is_refused(new_partner, client_for):
    """A signature made with the wrong secret key gives 401 CBC.0154 with a request id."""
    partner = new_partner("csp")
    assert_refused(client_for(partner, secret_key=partner["secret_key"][::-1] + "x"))


def test_unknown_access_key_is_refused(new_partner, client_for):
    """An access key the server never issued gives 401 CBC.0154 with a request id."""
    assert_refused(client_for(new_partner("csp"), access_key="UNKNOWNAK0000000000"))


def test_key_of_another_domain_is_refused(new_partner, client_for):
    """A valid AK/SK sent with another partner's domain id (X-Domain-Id) gives 401 CBC.0154."""
    mine, other = new_partner("csp"), new_partner("csp")
    assert mine["domain_id"] != other["domain_id"]
    assert_refused(client_for(mine, domain_id=other["domain_id"]))


def test_revoked_key_is_refused_and_new_key_works(admin, new_partner, client_for):
    """After admin key revoke the old key gets 401 CBC.0154, and a key from admin key create works."""
    partner = new_partner("csp")
    assert list_sub_customers(client_for(partner)).status_code == 200

    admin("admin", "key", "revoke", "--access-key", partner["access_key"])
    assert_refused(client_for(partner))

    key = admin("admin", "key", "create", "--partner", partner["partner_id"], "--json")
    assert key["access_key"] != partner["access_key"]
    fresh = client_for(partner, access_key=key["access_key"], secret_key=key["secret_key"])
    assert list_sub_customers(fresh).status_code == 200


def assert_clean_cli_error(done):
    message = done.stderr.strip()
    assert message, "the CLI failed without a message"
    assert len(message.splitlines()) == 1, f"expected a one-line error, got:\n{message}"
    assert "panicked" not in message and "Traceback" not in message, message


def test_reseller_needs_a_distributor(admin, new_partner, client_for):
    """A reseller is enrolled only under a distributor: without one, or under a CSP, the CLI fails
    with a one-line error; under a distributor it succeeds and the reseller can call the API."""
    reseller = ["admin", "partner", "create", "--name", "SDK test reseller", "--country", "SG",
                "--program", "reseller"]
    assert_clean_cli_error(admin.expect_failure(*reseller, "--json"))

    csp = new_partner("csp")
    assert_clean_cli_error(admin.expect_failure(*reseller, "--distributor", csp["partner_id"], "--json"))

    distributor = new_partner("distributor")
    partner = new_partner("reseller", distributor=distributor["partner_id"])
    assert list_sub_customers(client_for(partner)).status_code == 200
