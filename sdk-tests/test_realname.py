"""Real-name authentication through the official SDKs (BSS-API.md B1.10, B2.10): a partner
uploads its customer's attachments (console API), applies over BSS (international client), the
operator rejects with an opinion and then approves (console API), and the review result and the
customer's own status read back through both clients; an individual changes to an enterprise.

Every test creates its own partner and customer."""
import urllib.request
import uuid

import pytest
from huaweicloudsdkbss.v2.model import ShowRealNameAuthQrCodeRequest, ShowRealNameAuthStatusRequest
from huaweicloudsdkbss.v2.model import ShowRealnameAuthenticationReviewResultRequest as BssResultRequest
from huaweicloudsdkbssintl.v2.model import (
    ApplyEnterpriseRealnameAuthsReq,
    ApplyIndividualRealnameAuthsReq,
    ChangeEnterpriseRealnameAuthenticationRequest,
    ChangeEnterpriseRealnameAuthsReq,
    CreateEnterpriseRealnameAuthenticationRequest,
    CreateCustomerV2Req,
    CreatePersonalRealnameAuthRequest,
    CreateSubCustomerRequest,
    ShowRealnameAuthenticationReviewResultRequest,
)
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

from conftest import next_second
from test_catalog import _staff_token
from test_discounts import _partner_with_login
from test_orders import _console

JPEG = b"\xff\xd8\xff\xe0 an identity document page"
PASSWORD = "Disc-pass-2026"


def _upload(endpoint, token, customer_id, name, content):
    req = urllib.request.Request(f"{endpoint}/api/v1/partner/customers/{customer_id}/realname-files/{name}",
                                 data=content, method="PUT", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 201


def _review(endpoint, staff, approve, opinion=None):
    pending = _console(endpoint, "GET", "/api/v1/operator/realname-applications", None, staff)["applications"]
    assert len(pending) >= 1
    body = {"approve": approve} if opinion is None else {"approve": approve, "opinion": opinion}
    return _console(endpoint, "POST", f"/api/v1/operator/realname-applications/{pending[-1]['id']}/review", body, staff)


@pytest.fixture
def applicant(admin, endpoint, client_for, bss_client_for):
    partner, email = _partner_with_login(admin)
    token = _console(endpoint, "POST", "/api/v1/sessions", {"login": email, "password": PASSWORD})["token"]
    intl = client_for(partner)
    body = CreateCustomerV2Req(domain_area="SG", xaccount_id=f"x-{uuid.uuid4().hex}", xaccount_type="acme")
    customer_id = intl.create_sub_customer(CreateSubCustomerRequest(body=body)).domain_id
    key = admin("admin", "key", "create", "--customer", customer_id, "--json")
    return {"intl": intl, "bss": bss_client_for(partner), "token": token, "customer_id": customer_id,
            "customer": bss_client_for(key), "staff": _staff_token(admin, endpoint)}


def test_an_individual_is_verified_after_a_rejection(applicant, endpoint):
    a = applicant
    status = a["customer"].show_real_name_auth_status(ShowRealNameAuthStatusRequest())
    assert (status.verified_status, status.verified_type) == (-1, None)
    for name in ("p1.jpg", "p2.jpg"):
        _upload(endpoint, a["token"], a["customer_id"], name, JPEG)

    def apply():
        body = ApplyIndividualRealnameAuthsReq(customer_id=a["customer_id"], identify_type=0, verified_type=3,
                                               verified_file_url=["p1.jpg", "p2.jpg"], name="Ana Lim",
                                               verified_number="E1234567", change_type=-1, xaccount_type="acme_IDP")
        return a["intl"].create_personal_realname_auth(CreatePersonalRealnameAuthRequest(body=body))

    assert apply().is_review == 1
    result = a["intl"].show_realname_authentication_review_result(
        ShowRealnameAuthenticationReviewResultRequest(customer_id=a["customer_id"]))
    assert (result.review_result, result.opinion) == (0, None)
    next_second()  # (the same request in the same second is a replay, answered as the first)
    with pytest.raises(ClientRequestException) as refused:
        apply()
    assert refused.value.error_code == "CBC.99000053"

    _review(endpoint, a["staff"], False, "The page is blurred.")
    result = a["bss"].show_realname_authentication_review_result(BssResultRequest(customer_id=a["customer_id"]))
    assert (result.review_result, result.opinion) == (1, "The page is blurred.")
    assert a["customer"].show_real_name_auth_status(ShowRealNameAuthStatusRequest()).verified_status == 1

    next_second()
    assert apply().is_review == 1
    _review(endpoint, a["staff"], True)
    status = a["customer"].show_real_name_auth_status(ShowRealNameAuthStatusRequest())
    assert (status.verified_status, status.verified_type) == (2, 0)


def test_a_verified_individual_changes_to_an_enterprise(applicant, endpoint):
    a = applicant
    for name in ("p1.jpg", "p2.jpg", "lic-front.jpg", "lic-back.jpg"):
        _upload(endpoint, a["token"], a["customer_id"], name, JPEG)
    body = ApplyIndividualRealnameAuthsReq(customer_id=a["customer_id"], identify_type=0, verified_type=3,
                                           verified_file_url=["p1.jpg", "p2.jpg"], name="Ana Lim",
                                           verified_number="E1234567", xaccount_type="acme_IDP")
    a["intl"].create_personal_realname_auth(CreatePersonalRealnameAuthRequest(body=body))
    _review(endpoint, a["staff"], True)
    change = ChangeEnterpriseRealnameAuthsReq(customer_id=a["customer_id"], identify_type=1, certificate_type=0,
                                              verified_file_url=["lic-front.jpg", "lic-back.jpg"],
                                              corp_name="Lim Trading Ltd", verified_number="91310000MA1FL",
                                              reg_country="SG", change_type=1, xaccount_type="acme_IDP")
    reply = a["intl"].change_enterprise_realname_authentication(ChangeEnterpriseRealnameAuthenticationRequest(body=change))
    assert reply.is_review == 1
    status = a["customer"].show_real_name_auth_status(ShowRealNameAuthStatusRequest())
    assert (status.verified_status, status.verified_type) == (2, 0), "an individual until the change is approved"
    _review(endpoint, a["staff"], True)
    status = a["customer"].show_real_name_auth_status(ShowRealNameAuthStatusRequest())
    assert (status.verified_status, status.verified_type) == (2, 1)
    # A fresh enterprise application for a verified account is refused.
    with pytest.raises(ClientRequestException) as refused:
        body = ApplyEnterpriseRealnameAuthsReq(customer_id=a["customer_id"], identify_type=1,
                                               verified_file_url=["lic-front.jpg", "lic-back.jpg"],
                                               corp_name="Lim Trading Ltd", verified_number="91310000MA1FL",
                                               xaccount_type="acme_IDP")
        a["intl"].create_enterprise_realname_authentication(CreateEnterpriseRealnameAuthenticationRequest(body=body))
    assert refused.value.error_code == "CBC.99000053"


def _multipart(fields, files):
    boundary = uuid.uuid4().hex
    body = b""
    for name, value in fields.items():
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    for name, (file_name, content) in files.items():
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{file_name}"\r\n'
                 f"Content-Type: image/jpeg\r\n\r\n").encode() + content + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_a_customer_authenticates_itself_through_its_qr_code(applicant, endpoint):
    """B2.10.1 (RN-QR): the China-site client, signed by the customer itself, gets a single-use
    address; the page it opens takes the identity and photos, which go to the operator's review."""
    a = applicant
    url = a["customer"].show_real_name_auth_qr_code(ShowRealNameAuthQrCodeRequest()).qr_code_url
    assert url.startswith(endpoint + "/realname/scan/"), url
    with urllib.request.urlopen(url, timeout=10) as r:
        assert r.status == 200 and b"multipart/form-data" in r.read()
    body, content_type = _multipart({"verified_type": "3", "name": "Ana Lim", "verified_number": "E1234567"},
                                    {"photo-1": ("page.jpg", JPEG), "photo-2": ("held.jpg", JPEG)})
    req = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": content_type})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 200 and b"under review" in r.read()
    assert a["customer"].show_real_name_auth_status(ShowRealNameAuthStatusRequest()).verified_status == 0
    _review(endpoint, a["staff"], True)
    status = a["customer"].show_real_name_auth_status(ShowRealNameAuthStatusRequest())
    assert (status.verified_status, status.verified_type) == (2, 0)
