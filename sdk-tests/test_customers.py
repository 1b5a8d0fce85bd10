"""Reseller customer management through the official SDK (BSS-API.md B1.1-B1.3): creating
customers, identity checks, verification codes, budgets and their records, freezing and
unfreezing, distributor tenancy, and what a frozen partner may no longer do.

Every test creates its own partners and customers."""
import random
import re
import string
import time
import uuid
from contextlib import contextmanager
from decimal import Decimal
from types import SimpleNamespace

import pytest
from huaweicloudsdkbss.v2.model import CreateSubCustomerRequest as BssCreateSubCustomerRequest
from huaweicloudsdkbss.v2.model import CheckUserIdentityRequest as BssCheckUserIdentityRequest
from huaweicloudsdkbss.v2.model import CheckSubcustomerUserReq as BssCheckSubcustomerUserReq
from huaweicloudsdkbssintl.v2.model import (
    CheckSubcustomerUserReq,
    CheckUserIdentityRequest,
    CreateCustomerV2Req,
    CreateSubCustomerRequest,
    FreezeSubCustomersReq,
    FreezeSubCustomersRequest,
    ListSubCustomerBudgetRecordsRequest,
    ListSubCustomerBudgetReq,
    ListSubCustomerBudgetRequest,
    ListSubCustomersRequest,
    ModSubCustomerBudgetReq,
    QuerySubCustomerListReq,
    SendVerificationCodeV2Req,
    SendVerificationMessageCodeRequest,
    ShowSubCustomerBudgetRequest,
    UnfreezeSubCustomersReq,
    UnfreezeSubCustomersRequest,
    UpdateSubCustomerBudgetRequest,
)
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

from conftest import next_second

XACCOUNT_TYPE = "opc_sdk_test"
NAME_RULE = re.compile(r"^[a-zA-Z_-][a-zA-Z0-9_-]*$")
UTC_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")

# Error codes of the contract.
INVALID = "CBC.0100"
NOT_YOUR_CUSTOMER = "CBC.99000035"
NOT_RESELLER_CUSTOMER = "CBC.99000036"
NOT_YOUR_RESELLER = "CBC.99000037"
ALREADY_FROZEN = "CBC.99000040"
NOT_FROZEN = "CBC.99000041"
FREEZE_TYPE_MISMATCH = "CBC.99000042"
RESOURCES_STAY_FROZEN = "CBC.99000043"
PARTNER_FROZEN = "CBC.99000044"
DISTRIBUTOR_WITHOUT_RESELLER = "CBC.99000046"
IDENTITY_TAKEN = "CBC.99000047"
BAD_VERIFICATION_CODE = "CBC.99000048"


# ----------------------------------------------------------------------------------------------
# Helpers


def unique(prefix="sdk_"):
    """A fresh login name that follows the domain_name rules (5-32 chars, starts with a letter)."""
    return f"{prefix}{uuid.uuid4().hex[:12]}"


def unique_email():
    return f"sdk-{uuid.uuid4().hex[:10]}@example.com"


def unknown_id():
    return uuid.uuid4().hex


@contextmanager
def fails(status, code):
    """The call inside must fail with this HTTP status and error code, with a request id."""
    with pytest.raises(ClientRequestException) as refused:
        yield refused
    e = refused.value
    assert (e.status_code, e.error_code) == (status, code), \
        f"expected {status} {code}, got {e.status_code} {e.error_code}: {e.error_msg}"
    assert e.error_msg, f"{code} without an error_msg"
    assert e.request_id, f"no X-Request-Id on {e.status_code} {e.error_code}"


def create_customer(client, **fields):
    """create_sub_customer with the required fields filled in unless given (None leaves one out)."""
    body = {"domain_area": "SG", "xaccount_id": f"x-{uuid.uuid4().hex}", "xaccount_type": XACCOUNT_TYPE}
    body.update(fields)
    body = {k: v for k, v in body.items() if v is not None}
    return client.create_sub_customer(CreateSubCustomerRequest(body=CreateCustomerV2Req(**body)))


def customer_info(client, customer_id, indirect_partner_id=None):
    """The caller's list_sub_customers entry for this customer, or None."""
    resp = client.list_sub_customers(ListSubCustomersRequest(body=QuerySubCustomerListReq(
        customer_id=customer_id, indirect_partner_id=indirect_partner_id, offset=0, limit=10)))
    found = [c for c in resp.customer_infos or [] if c.customer_id == customer_id]
    assert len(found) <= 1, f"customer {customer_id} listed {len(found)} times"
    return found[0] if found else None


def is_frozen(client, customer_id, indirect_partner_id=None):
    info = customer_info(client, customer_id, indirect_partner_id)
    assert info is not None, f"customer {customer_id} is not in the caller's list"
    return info.is_frozen


def send_code(client, email, **fields):
    return client.send_verification_message_code(SendVerificationMessageCodeRequest(
        body=SendVerificationCodeV2Req(receiver_type=fields.pop("receiver_type", 2), email=email, **fields)))


def latest_code(admin, email):
    """The 6-digit code of the newest message in the notification outbox for this email."""
    messages = admin("admin", "notifications", "list", "--to", email, "--json")
    assert messages, f"no notification was sent to {email}"
    newest = messages[0]
    assert newest["recipient"] == email, newest
    found = re.search(r"\b(\d{6})\b", newest["body"])
    assert found, f"no 6-digit code in the newest message to {email}: {newest}"
    return found.group(1)


def check_identity(client, search_type, search_value):
    return client.check_user_identity(CheckUserIdentityRequest(
        body=CheckSubcustomerUserReq(search_type=search_type, search_value=search_value)))


def set_budget(client, customer_id, amount, **fields):
    return client.update_sub_customer_budget(UpdateSubCustomerBudgetRequest(
        body=ModSubCustomerBudgetReq(customer_id=customer_id, budget_amount=amount, **fields)))


def show_budget(client, customer_id, indirect_partner_id=None):
    return client.show_sub_customer_budget(ShowSubCustomerBudgetRequest(
        customer_id=customer_id, indirect_partner_id=indirect_partner_id))


def list_budgets(client, customer_ids, indirect_partner_id=None):
    return client.list_sub_customer_budget(ListSubCustomerBudgetRequest(
        body=ListSubCustomerBudgetReq(customer_ids=customer_ids, indirect_partner_id=indirect_partner_id)))


def budget_records(client, customer_id, **query):
    return client.list_sub_customer_budget_records(ListSubCustomerBudgetRecordsRequest(
        customer_id=customer_id, **query))


def freeze(client, customer_ids, reason="SDK test freeze", **fields):
    return client.freeze_sub_customers(FreezeSubCustomersRequest(
        body=FreezeSubCustomersReq(customer_ids=customer_ids, reason=reason, **fields)))


def unfreeze(client, customer_ids, reason="SDK test unfreeze", **fields):
    return client.unfreeze_sub_customers(UnfreezeSubCustomersRequest(
        body=UnfreezeSubCustomersReq(customer_ids=customer_ids, reason=reason, **fields)))


def failures(resp):
    """error_details of a batch response as {id: error_code}; each entry must carry a message."""
    details = resp.error_details or []
    for d in details:
        assert d.error_msg, f"error detail without error_msg: {d}"
    by_id = {d.id: d.error_code for d in details}
    assert len(by_id) == len(details), f"an id is reported twice: {details}"
    return by_id


def active_customer(client, indirect_partner_id=None):
    """A new reseller customer whose association freeze has been lifted (budget 10, unfrozen)."""
    cid = create_customer(client, indirect_partner_id=indirect_partner_id).domain_id
    set_budget(client, cid, Decimal("10"), cancel_partner_frozen="1", indirect_partner_id=indirect_partner_id)
    assert is_frozen(client, cid, indirect_partner_id) == 0
    return cid


class Paced:
    """An SDK client whose calls refused by throttling (429 APIG.0308: the server allows a number
    of calls per second per API and account) wait a second and are sent again, as a real client
    would. These tests call one API many times in a row; throttling itself is not their subject."""

    def __init__(self, client):
        self._client = client

    def __getattr__(self, name):
        method = getattr(self._client, name)
        if not callable(method):
            return method

        def call(*args, **kwargs):
            for _ in range(5):
                try:
                    return method(*args, **kwargs)
                except ClientRequestException as e:
                    if (e.status_code, e.error_code) != (429, "APIG.0308"):
                        raise
                    time.sleep(1.0)
            return method(*args, **kwargs)

        return call


@pytest.fixture
def enrol(new_partner, client_for, bss_client_for):
    """Factory: enrol(program="csp", distributor=None) -> partner with .id, .info (CLI dict),
    .client (BssintlClient) and .bss (China-site BssClient), both Paced."""

    def make(program="csp", distributor=None):
        info = new_partner(program, distributor=distributor.id if distributor else None)
        return SimpleNamespace(id=info["partner_id"], info=info,
                               client=Paced(client_for(info)), bss=Paced(bss_client_for(info)))

    return make


@pytest.fixture
def csp(enrol):
    return enrol("csp")


@pytest.fixture
def chain(enrol):
    """A distributor with one reseller: .distributor and .reseller."""
    distributor = enrol("distributor")
    return SimpleNamespace(distributor=distributor, reseller=enrol("reseller", distributor=distributor))


# ----------------------------------------------------------------------------------------------
# The README journey


def test_journey_create_budget_unfreeze(csp):
    """R-RCM-02/R-RCM-03/R-ASSOC-23: a CSP partner creates a reseller customer, which starts frozen;
    setting a MONTHLY budget of 100.00 with cancel_partner_frozen "1" unfreezes it, the budget reads
    back as exactly 100.00 and one SETTING record is kept."""
    created = create_customer(csp.client, domain_name=unique())
    customer_id = created.domain_id
    assert customer_id

    info = customer_info(csp.client, customer_id)
    assert (info.association_type, info.is_frozen) == ("3", 1)

    resp = set_budget(csp.client, customer_id, Decimal("100.00"), budget_type="MONTHLY", cancel_partner_frozen="1")
    assert resp.status_code == 200
    assert is_frozen(csp.client, customer_id) == 0

    budget = show_budget(csp.client, customer_id)
    assert Decimal("100.00") == budget.budget_amount
    assert (budget.budget_type, budget.currency, budget.measure_id) == ("MONTHLY", "USD", 1)
    assert Decimal("0") == budget.used_amount

    records = budget_records(csp.client, customer_id)
    assert records.total_count == 1
    [record] = records.record_list
    assert (record.operation_type, record.budget_type) == ("SETTING", "MONTHLY")
    assert Decimal("100.00") == record.budget_amount


# ----------------------------------------------------------------------------------------------
# create_sub_customer


def test_create_with_required_fields_only(csp):
    """R-ASSOC-23/R-RCM-02: with only domain_area, xaccount_id and xaccount_type the customer gets a
    random 32-character name, is associated in the reseller model ("3") and starts frozen."""
    xaccount_id = f"x-{uuid.uuid4().hex}"
    created = create_customer(csp.client, xaccount_id=xaccount_id)
    assert created.status_code == 200
    assert created.domain_id
    assert len(created.domain_name) == 32 and NAME_RULE.match(created.domain_name), created.domain_name
    assert not created.domain_name.isdigit()

    info = customer_info(csp.client, created.domain_id)
    assert info is not None, "the new customer is not in list_sub_customers"
    assert info.account_name == created.domain_name
    assert (info.association_type, info.is_frozen) == ("3", 1)
    assert (info.xaccount_id, info.xaccount_type) == (xaccount_id, XACCOUNT_TYPE)


def test_create_with_every_optional_field(admin, csp):
    """A customer created with a name, a verified email, a password, is_close_market_ms and
    include_association_result gets exactly that name and is listed with its email."""
    name, email = unique("Cust_"), unique_email()
    assert send_code(csp.client, email).status_code == 200
    created = create_customer(csp.client, domain_name=name, email=email, verification_code=latest_code(admin, email),
                              password="Secret-123", is_close_market_ms="true", include_association_result=True)
    assert created.domain_name == name
    info = customer_info(csp.client, created.domain_id)
    assert (info.account_name, info.email, info.is_frozen) == (name, email, 1)


@pytest.mark.parametrize("prefix", ["-", "_", "Ab"])
def test_domain_name_may_start_with_a_letter_dash_or_underscore(csp, prefix):
    """domain_name follows ^[a-zA-Z_-][a-zA-Z0-9_-]*$: a leading '-' or '_' is allowed."""
    name = unique(prefix)
    assert create_customer(csp.client, domain_name=name).domain_name == name


def test_five_and_thirty_two_character_names_are_accepted(csp):
    """domain_name length bounds are inclusive: 5 and 32 characters."""
    short = "a" + "".join(random.choices(string.ascii_lowercase + string.digits, k=4))
    long = "b" + uuid.uuid4().hex[:31]
    assert create_customer(csp.client, domain_name=short).domain_name == short
    assert create_customer(csp.client, domain_name=long).domain_name == long


@pytest.mark.parametrize("name", [
    "abcd",                 # 4 characters
    "a" * 33,               # 33 characters
    "1abcde",               # starts with a digit
    "123456789",            # all digits
    "op_customer",          # reserved prefix
    "OP_Customer",          # reserved prefix, any case
    "shadow_cust",          # reserved prefix
    "Shadow_cust",          # reserved prefix, any case
    "abc def",              # space
    "abc.def",              # dot
])
def test_bad_domain_name_is_refused(csp, name):
    """domain_name: 5-32 characters of ^[a-zA-Z_-][a-zA-Z0-9_-]*$, not op_/shadow_, not all digits
    -> 400 CBC.0100."""
    with fails(400, INVALID):
        create_customer(csp.client, domain_name=name)


@pytest.mark.parametrize("field", ["domain_area", "xaccount_id", "xaccount_type"])
def test_required_field_missing_is_refused(csp, field):
    """domain_area, xaccount_id and xaccount_type are required -> 400 CBC.0100."""
    with fails(400, INVALID):
        create_customer(csp.client, **{field: None})


@pytest.mark.parametrize("area", ["SGP", "S1", ""])
def test_bad_domain_area_is_refused(csp, area):
    """domain_area is an ISO 3166 alpha-2 code -> anything else is 400 CBC.0100."""
    with fails(400, INVALID):
        create_customer(csp.client, domain_area=area)


@pytest.mark.parametrize("email", ["not-an-email", "someone@localhost", "@example.com"])
def test_bad_email_is_refused(csp, email):
    """email needs an '@' and a dotted domain -> 400 CBC.0100."""
    with fails(400, INVALID):
        create_customer(csp.client, email=email, verification_code="123456")


def test_bad_is_close_market_ms_is_refused(csp):
    """is_close_market_ms is "true" or "false" -> "yes" is 400 CBC.0100."""
    with fails(400, INVALID):
        create_customer(csp.client, is_close_market_ms="yes")


@pytest.mark.parametrize("password", [
    "Short1!",              # 7 characters
    "Aa1" * 11,             # 33 characters
    "alllowercase",         # one character class
    "12345678901",          # one character class
])
def test_weak_password_is_refused(csp, password):
    """password: 8-32 characters with at least two of upper/lower/digit/special -> 400 CBC.0100."""
    with fails(400, INVALID):
        create_customer(csp.client, domain_name=unique(), password=password)


def test_password_equal_to_name_or_reversed_name_is_refused(csp):
    """password must not be the account name or the reversed account name -> 400 CBC.0100."""
    name = unique("Pw_")
    with fails(400, INVALID):
        create_customer(csp.client, domain_name=name, password=name)
    with fails(400, INVALID):
        create_customer(csp.client, domain_name=name, password=name[::-1])
    assert create_customer(csp.client, domain_name=name, password=name + "!").domain_name == name


def test_password_containing_the_email_is_refused(admin, csp):
    """password must not contain the email -> 400 CBC.0100 even with a valid verification code."""
    email = f"p{uuid.uuid4().hex[:8]}@ex.io"
    send_code(csp.client, email)
    code = latest_code(admin, email)
    with fails(400, INVALID):
        create_customer(csp.client, email=email, verification_code=code, password="X1" + email)
    assert create_customer(csp.client, email=email, verification_code=code, password="Secret-123").domain_id


def test_duplicate_domain_name_is_refused(csp, enrol):
    """A login name already in use (by any partner's customer) -> 400 CBC.99000047."""
    name = unique()
    create_customer(csp.client, domain_name=name)
    with fails(400, IDENTITY_TAKEN):
        create_customer(csp.client, domain_name=name)
    with fails(400, IDENTITY_TAKEN):
        create_customer(enrol("csp").client, domain_name=name)


def test_duplicate_email_is_refused(admin, csp):
    """An email already in use -> 400 CBC.99000047, even with a fresh valid code."""
    email = unique_email()
    send_code(csp.client, email)
    create_customer(csp.client, email=email, verification_code=latest_code(admin, email))
    next_second()
    send_code(csp.client, email)
    with fails(400, IDENTITY_TAKEN):
        create_customer(csp.client, email=email, verification_code=latest_code(admin, email))


def test_email_without_code_or_with_wrong_code_is_refused(admin, csp):
    """With an email, a missing or wrong verification code -> 400 CBC.99000048 and nothing is
    created (the email stays available)."""
    email = unique_email()
    with fails(400, BAD_VERIFICATION_CODE):
        create_customer(csp.client, email=email)  # no code was ever sent
    send_code(csp.client, email)
    code = latest_code(admin, email)
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    with fails(400, BAD_VERIFICATION_CODE):
        create_customer(csp.client, email=email)
    with fails(400, BAD_VERIFICATION_CODE):
        create_customer(csp.client, email=email, verification_code=wrong)
    assert check_identity(csp.client, "email", email).check_result == "available"
    assert create_customer(csp.client, email=email, verification_code=code).domain_id


def test_code_of_another_email_is_refused(admin, csp):
    """A code sent to one email does not verify another -> 400 CBC.99000048."""
    mine, other = unique_email(), unique_email()
    send_code(csp.client, other)
    with fails(400, BAD_VERIFICATION_CODE):
        create_customer(csp.client, email=mine, verification_code=latest_code(admin, other))


def test_only_the_latest_code_is_accepted(admin, csp):
    """When several codes were sent to an email, only the latest verifies it -> an earlier one
    gives 400 CBC.99000048."""
    email = unique_email()
    send_code(csp.client, email)
    first = latest_code(admin, email)
    second = first
    for _ in range(5):  # two random 6-digit codes coincide one time in a million
        next_second()
        send_code(csp.client, email)
        second = latest_code(admin, email)
        if second != first:
            break
    assert second != first, "five codes in a row equal to the first"
    with fails(400, BAD_VERIFICATION_CODE):
        create_customer(csp.client, email=email, verification_code=first)
    assert create_customer(csp.client, email=email, verification_code=second).domain_id


def test_reseller_creates_its_own_customer(chain):
    """R-DIST-02 (customer development): a reseller creates customers under its own account."""
    created = create_customer(chain.reseller.client)
    info = customer_info(chain.reseller.client, created.domain_id)
    assert (info.association_type, info.is_frozen) == ("3", 1)


def test_distributor_creates_customer_for_its_reseller(chain):
    """R-DIST-02: a distributor creates a customer for its reseller by naming it in
    indirect_partner_id; the customer belongs to the reseller, frozen (R-ASSOC-23)."""
    d, r = chain.distributor, chain.reseller
    created = create_customer(d.client, indirect_partner_id=r.id)
    assert customer_info(r.client, created.domain_id).is_frozen == 1
    assert customer_info(d.client, created.domain_id, indirect_partner_id=r.id).association_type == "3"
    assert customer_info(d.client, created.domain_id) is None, "the customer is not the distributor's own"


def test_distributor_cannot_create_its_own_customer(chain):
    """R-DIST-01: a distributor develops resellers, not customers: create_sub_customer without
    indirect_partner_id -> 403 CBC.99000046."""
    with fails(403, DISTRIBUTOR_WITHOUT_RESELLER):
        create_customer(chain.distributor.client)


def test_distributor_naming_a_partner_that_is_not_its_reseller_is_refused(chain, enrol, csp):
    """indirect_partner_id naming another distributor's reseller, a CSP or an unknown partner
    -> 400 CBC.99000037."""
    foreign_reseller = enrol("reseller", distributor=enrol("distributor"))
    for other in (foreign_reseller.id, csp.id, unknown_id()):
        with fails(400, NOT_YOUR_RESELLER):
            create_customer(chain.distributor.client, indirect_partner_id=other)


def test_china_site_client_creates_a_referral_customer(csp):
    """The China-site BssClient body carries cooperation_type; "1" (referral, consultative sale)
    creates a customer associated in the referral model (association_type "1"). The BssClient
    model has no domain_area, so the body is sent as the union of both sites' fields."""
    created = create_referral_customer(csp.bss)
    assert created.domain_id
    assert customer_info(csp.client, created.domain_id).association_type == "1"


def create_referral_customer(bss_client):
    body = {"domain_area": "SG", "xaccount_id": f"x-{uuid.uuid4().hex}", "xaccount_type": XACCOUNT_TYPE,
            "cooperation_type": "1"}
    return bss_client.create_sub_customer(BssCreateSubCustomerRequest(body=body))


# ----------------------------------------------------------------------------------------------
# check_user_identity


def test_identity_is_available_until_used(admin, csp):
    """A fresh name, email or mobile number is "available"; once a customer has the name or the
    email it is "used_by_user"."""
    name, email = unique(), unique_email()
    assert check_identity(csp.client, "name", name).check_result == "available"
    assert check_identity(csp.client, "email", email).check_result == "available"
    assert check_identity(csp.client, "mobile", f"0065-9{uuid.uuid4().int % 10**7:07d}").check_result == "available"

    send_code(csp.client, email)
    assert check_identity(csp.client, "email", email).check_result == "available", "a code alone uses nothing"
    create_customer(csp.client, domain_name=name, email=email, verification_code=latest_code(admin, email))
    assert check_identity(csp.client, "name", name).check_result == "used_by_user"
    assert check_identity(csp.client, "email", email).check_result == "used_by_user"


def test_identity_used_by_another_partners_customer(csp, enrol):
    """Names are global: a name taken by another partner's customer is "used_by_user"."""
    name = create_customer(enrol("csp").client, domain_name=unique()).domain_name
    assert check_identity(csp.client, "name", name).check_result == "used_by_user"


def test_china_site_client_checks_identity(csp):
    """BssClient has the same check_user_identity models and gets the same answer."""
    name = create_customer(csp.client).domain_name
    resp = csp.bss.check_user_identity(BssCheckUserIdentityRequest(
        body=BssCheckSubcustomerUserReq(search_type="name", search_value=name)))
    assert resp.check_result == "used_by_user"


@pytest.mark.parametrize("search_type,search_value", [
    ("name", "abcd"),
    ("name", "op_abcdef"),
    ("name", "123456"),
    ("name", "1abcdef"),
    ("email", "no-at-sign.example.com"),
    ("email", "someone@localhost"),
    ("mobile", "12345678"),
    ("mobile", "0065 91234567"),
    ("mobile", "65-91234567"),
    ("phone", "0065-91234567"),   # unknown search_type
    ("email", "a" * 60 + "@example.com"),  # longer than 64 characters
])
def test_bad_identity_check_is_refused(csp, search_type, search_value):
    """search_type is email|mobile|name and search_value must fit it (name rule, email with '@' and
    a dotted domain, mobile ^\\d{4}-\\d+$, at most 64 characters) -> 400 CBC.0100."""
    with fails(400, INVALID):
        check_identity(csp.client, search_type, search_value)


def test_identity_check_without_value_is_refused(csp):
    """search_value is required -> 400 CBC.0100."""
    with fails(400, INVALID):
        csp.client.check_user_identity(CheckUserIdentityRequest(body=CheckSubcustomerUserReq(search_type="name")))


# ----------------------------------------------------------------------------------------------
# send_verification_message_code


def test_code_is_sent_to_the_outbox(admin, csp):
    """A code request answers 200 {} and puts a 6-digit code for that email in the outbox."""
    email = unique_email()
    resp = send_code(csp.client, email, timeout=15, lang="en-us")
    assert resp.status_code == 200
    [message] = admin("admin", "notifications", "list", "--to", email, "--json")
    assert {"recipient", "subject", "body", "created_at"} <= message.keys()
    assert message["recipient"] == email
    assert re.search(r"\b\d{6}\b", message["body"]), message


@pytest.mark.parametrize("fields", [{"timeout": 90, "lang": "zh-cn"}, {}])
def test_code_timeout_above_sixty_and_defaults_are_accepted(admin, csp, fields):
    """timeout is optional (default 10 minutes; above 60 means 5) and lang is zh-cn|en-us; the
    code sent verifies the email."""
    email = unique_email()
    assert send_code(csp.client, email, **fields).status_code == 200
    assert create_customer(csp.client, email=email, verification_code=latest_code(admin, email)).domain_id


@pytest.mark.parametrize("fields", [
    {"receiver_type": 1},
    {"email": None},
    {"email": "not-an-email"},
    {"lang": "fr-fr"},
])
def test_bad_code_request_is_refused(csp, fields):
    """receiver_type must be 2, email is required and well formed, lang is zh-cn|en-us
    -> 400 CBC.0100."""
    email = fields.pop("email", unique_email())
    with fails(400, INVALID):
        send_code(csp.client, email, **fields)


# ----------------------------------------------------------------------------------------------
# update_sub_customer_budget / show_sub_customer_budget


def test_budget_defaults_to_monthly_and_keeps_the_freeze(csp):
    """R-RCM-03: without budget_type the budget is MONTHLY; without cancel_partner_frozen (or with
    "0") the account stays frozen."""
    cid = create_customer(csp.client).domain_id
    set_budget(csp.client, cid, Decimal("50"))
    budget = show_budget(csp.client, cid)
    assert (budget.budget_amount, budget.budget_type) == (Decimal("50"), "MONTHLY")
    assert is_frozen(csp.client, cid) == 1
    set_budget(csp.client, cid, Decimal("60"), cancel_partner_frozen="0")
    assert is_frozen(csp.client, cid) == 1


def test_package_budget_replaces_the_monthly_one(csp):
    """A later update replaces the amount and type: PACKAGE 1234.56 reads back exactly."""
    cid = create_customer(csp.client).domain_id
    set_budget(csp.client, cid, Decimal("100.00"), budget_type="MONTHLY")
    set_budget(csp.client, cid, Decimal("1234.56"), budget_type="PACKAGE", frozen_operate_type=1)
    budget = show_budget(csp.client, cid)
    assert Decimal("1234.56") == budget.budget_amount
    assert budget.budget_type == "PACKAGE"


def test_largest_budget_is_accepted(csp):
    """budget_amount may be as large as 2147483647 (with 2 decimals allowed below it)."""
    cid = create_customer(csp.client).domain_id
    set_budget(csp.client, cid, Decimal("2147483647"))
    assert Decimal("2147483647") == show_budget(csp.client, cid).budget_amount
    set_budget(csp.client, cid, Decimal("0.01"))
    assert Decimal("0.01") == show_budget(csp.client, cid).budget_amount


def test_show_budget_without_a_budget(csp):
    """A customer without a budget answers 200 without budget_amount or budget_type."""
    cid = create_customer(csp.client).domain_id
    budget = show_budget(csp.client, cid)
    assert budget.status_code == 200
    assert budget.budget_amount is None and budget.budget_type is None


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-1"), Decimal("2147483648"), Decimal("1.001"), None])
def test_bad_budget_amount_is_refused(csp, amount):
    """budget_amount is required, > 0, <= 2147483647, with at most 2 decimals -> 400 CBC.0100, and
    nothing is set."""
    cid = create_customer(csp.client).domain_id
    with fails(400, INVALID):
        set_budget(csp.client, cid, amount)
    assert show_budget(csp.client, cid).budget_amount is None
    assert budget_records(csp.client, cid).total_count == 0


@pytest.mark.parametrize("fields", [
    {"budget_type": "YEARLY"},
    {"cancel_partner_frozen": "2"},
    {"frozen_operate_type": 2},
])
def test_bad_budget_option_is_refused(csp, fields):
    """budget_type MONTHLY|PACKAGE, cancel_partner_frozen "0"|"1", frozen_operate_type 0|1
    -> anything else is 400 CBC.0100."""
    cid = create_customer(csp.client).domain_id
    with fails(400, INVALID):
        set_budget(csp.client, cid, Decimal("10"), **fields)


def test_budget_without_customer_id_is_refused(csp):
    """customer_id is required -> 400 CBC.0100."""
    with fails(400, INVALID):
        csp.client.update_sub_customer_budget(UpdateSubCustomerBudgetRequest(
            body=ModSubCustomerBudgetReq(budget_amount=Decimal("10"))))


def test_budget_of_another_partners_customer_is_refused(csp, enrol):
    """Tenancy: setting or reading the budget of another partner's customer, or of an unknown id,
    -> 400 CBC.99000035, and the owner sees nothing changed."""
    owner = enrol("csp")
    cid = create_customer(owner.client).domain_id
    for target in (cid, unknown_id()):
        with fails(400, NOT_YOUR_CUSTOMER):
            set_budget(csp.client, target, Decimal("10"), cancel_partner_frozen="1")
        with fails(400, NOT_YOUR_CUSTOMER):
            show_budget(csp.client, target)
    assert show_budget(owner.client, cid).budget_amount is None
    assert is_frozen(owner.client, cid) == 1
    assert customer_info(csp.client, cid) is None, "another partner's customer is listed"


def test_distributor_manages_its_resellers_budgets(chain):
    """R-DIST-02: a distributor sets and reads budgets of its reseller's customers by naming the
    reseller in indirect_partner_id; the reseller sees the same budget."""
    d, r = chain.distributor, chain.reseller
    cid = create_customer(r.client).domain_id
    set_budget(d.client, cid, Decimal("75.50"), cancel_partner_frozen="1", indirect_partner_id=r.id)
    assert Decimal("75.50") == show_budget(d.client, cid, indirect_partner_id=r.id).budget_amount
    assert Decimal("75.50") == show_budget(r.client, cid).budget_amount
    assert is_frozen(r.client, cid) == 0


def test_distributor_must_name_the_reseller(chain, enrol):
    """Without indirect_partner_id the reseller's customer is not the distributor's
    (400 CBC.99000035); naming a partner that is not its reseller is 400 CBC.99000037."""
    d, r = chain.distributor, chain.reseller
    cid = create_customer(r.client).domain_id
    with fails(400, NOT_YOUR_CUSTOMER):
        set_budget(d.client, cid, Decimal("10"))
    with fails(400, NOT_YOUR_CUSTOMER):
        show_budget(d.client, cid)
    foreign = enrol("reseller", distributor=enrol("distributor"))
    with fails(400, NOT_YOUR_RESELLER):
        set_budget(d.client, cid, Decimal("10"), indirect_partner_id=foreign.id)
    with fails(400, NOT_YOUR_RESELLER):
        show_budget(d.client, cid, indirect_partner_id=foreign.id)
    assert show_budget(r.client, cid).budget_amount is None


# ----------------------------------------------------------------------------------------------
# list_sub_customer_budget


def test_list_budgets_leaves_out_foreign_unknown_and_unset(csp, enrol):
    """Only the caller's reseller customers that have a budget are returned; another partner's
    customer, an unknown id and a customer without a budget are silently left out."""
    a, b, unset = (create_customer(csp.client).domain_id for _ in range(3))
    set_budget(csp.client, a, Decimal("100.00"))
    set_budget(csp.client, b, Decimal("0.5"), budget_type="PACKAGE")
    other = enrol("csp")
    foreign = create_customer(other.client).domain_id
    set_budget(other.client, foreign, Decimal("999"))

    resp = list_budgets(csp.client, [a, b, unset, foreign, unknown_id()])
    assert (resp.currency, resp.measure_id) == ("USD", 1)
    infos = {i.customer_id: i for i in resp.budget_infos}
    assert set(infos) == {a, b}
    assert (infos[a].budget_amount, infos[a].budget_type) == (Decimal("100.00"), "MONTHLY")
    assert (infos[b].budget_amount, infos[b].budget_type) == (Decimal("0.5"), "PACKAGE")
    assert Decimal("0") == infos[a].used_amount


def test_list_budgets_takes_one_to_a_hundred_ids(csp):
    """customer_ids holds 1 to 100 ids: 100 unknown ids answer an empty list; 101 or none
    -> 400 CBC.0100."""
    assert list_budgets(csp.client, [unknown_id() for _ in range(100)]).budget_infos == []
    with fails(400, INVALID):
        list_budgets(csp.client, [unknown_id() for _ in range(101)])
    with fails(400, INVALID):
        list_budgets(csp.client, [])


def test_distributor_lists_its_resellers_budgets(chain, enrol):
    """A distributor lists its reseller's customers' budgets with indirect_partner_id; without it
    they are left out; a partner that is not its reseller -> 400 CBC.99000037."""
    d, r = chain.distributor, chain.reseller
    cid = create_customer(r.client).domain_id
    set_budget(r.client, cid, Decimal("42"))
    [info] = list_budgets(d.client, [cid], indirect_partner_id=r.id).budget_infos
    assert (info.customer_id, info.budget_amount) == (cid, Decimal("42"))
    assert list_budgets(d.client, [cid]).budget_infos == []
    with fails(400, NOT_YOUR_RESELLER):
        list_budgets(d.client, [cid], indirect_partner_id=enrol("csp").id)


# ----------------------------------------------------------------------------------------------
# list_sub_customer_budget_records


def test_every_budget_update_is_recorded_newest_first(csp):
    """Each update adds one SETTING record: newest first, with the amount, type, a UTC
    yyyy-MM-ddTHH:mm:ssZ time, and the partner's account and corporate names."""
    cid = create_customer(csp.client).domain_id
    set_budget(csp.client, cid, Decimal("10.00"))
    set_budget(csp.client, cid, Decimal("20.25"), budget_type="PACKAGE")
    set_budget(csp.client, cid, Decimal("30"), cancel_partner_frozen="1")

    resp = budget_records(csp.client, cid)
    assert (resp.total_count, resp.currency, resp.measure_id) == (3, "USD", 1)
    assert [(r.budget_amount, r.budget_type) for r in resp.record_list] == [
        (Decimal("30"), "MONTHLY"), (Decimal("20.25"), "PACKAGE"), (Decimal("10.00"), "MONTHLY")]
    account_name = csp.info["account_name"]
    for r in resp.record_list:
        assert r.operation_type == "SETTING"
        assert UTC_SECOND.match(r.operation_time), r.operation_time
        assert (r.operator, r.partner_account_name) == (account_name, account_name)
        assert r.partner_corp_name == csp.info["name"]
    times = [r.operation_time for r in resp.record_list]
    assert times == sorted(times, reverse=True)


def test_budget_records_page_and_filter(csp):
    """offset/limit page the records (total_count stays the full count); operation_type and
    budget_type filter them."""
    cid = create_customer(csp.client).domain_id
    for amount, kind in (("1", "MONTHLY"), ("2", "PACKAGE"), ("3", "MONTHLY")):
        set_budget(csp.client, cid, Decimal(amount), budget_type=kind)

    page = budget_records(csp.client, cid, offset=1, limit=1)
    assert page.total_count == 3
    assert [r.budget_amount for r in page.record_list] == [Decimal("2")]
    assert budget_records(csp.client, cid, offset=3, limit=100).record_list == []

    monthly = budget_records(csp.client, cid, budget_type="MONTHLY")
    assert monthly.total_count == 2
    assert [r.budget_amount for r in monthly.record_list] == [Decimal("3"), Decimal("1")]
    assert budget_records(csp.client, cid, operation_type="SETTING").total_count == 3
    deleted = budget_records(csp.client, cid, operation_type="DELETE")
    assert (deleted.total_count, deleted.record_list) == (0, [])


def test_budget_records_default_to_ten(csp):
    """limit defaults to 10."""
    cid = create_customer(csp.client).domain_id
    for i in range(11):
        set_budget(csp.client, cid, Decimal(i + 1))
    resp = budget_records(csp.client, cid)
    assert resp.total_count == 11
    assert len(resp.record_list) == 10
    assert resp.record_list[0].budget_amount == Decimal(11)


def test_no_budget_no_records(csp):
    """A customer without budget updates has no records."""
    resp = budget_records(csp.client, create_customer(csp.client).domain_id)
    assert resp.total_count == 0
    assert not resp.record_list


@pytest.mark.parametrize("query", [
    {"limit": 0}, {"limit": 101}, {"offset": -1}, {"operation_type": "CHANGE"}, {"budget_type": "YEARLY"},
])
def test_bad_budget_records_query_is_refused(csp, query):
    """limit 1..100, offset >= 0, operation_type SETTING|DELETE, budget_type MONTHLY|PACKAGE
    -> anything else is 400 CBC.0100."""
    cid = create_customer(csp.client).domain_id
    with fails(400, INVALID):
        budget_records(csp.client, cid, **query)


def test_budget_records_need_a_customer_id(csp):
    """customer_id is required -> 400 CBC.0100."""
    with fails(400, INVALID):
        csp.client.list_sub_customer_budget_records(ListSubCustomerBudgetRecordsRequest())


def test_budget_records_tenancy(csp, chain, enrol):
    """Another partner's customer or an unknown id -> 400 CBC.99000035; a distributor reads its
    reseller's customer's records with indirect_partner_id, and a partner that is not its reseller
    -> 400 CBC.99000037."""
    d, r = chain.distributor, chain.reseller
    cid = create_customer(r.client).domain_id
    set_budget(r.client, cid, Decimal("5"))
    for target in (cid, unknown_id()):
        with fails(400, NOT_YOUR_CUSTOMER):
            budget_records(csp.client, target)
    with fails(400, NOT_YOUR_CUSTOMER):
        budget_records(d.client, cid)
    assert budget_records(d.client, cid, indirect_partner_id=r.id).total_count == 1
    with fails(400, NOT_YOUR_RESELLER):
        budget_records(d.client, cid, indirect_partner_id=enrol("reseller", distributor=enrol("distributor")).id)


# ----------------------------------------------------------------------------------------------
# freeze_sub_customers


def test_freeze_an_active_customer(csp):
    """R-RCM-10/R-RCM-12: freezing an active customer succeeds with no error_details and the
    customer is listed as frozen."""
    cid = active_customer(csp.client)
    resp = freeze(csp.client, [cid])
    assert resp.status_code == 200
    assert failures(resp) == {}
    assert is_frozen(csp.client, cid) == 1


def test_freezing_an_account_again_is_reported(csp):
    """R-RCM-12: a new reseller customer is already frozen (R-ASSOC-23), so an ACCOUNT freeze
    reports CBC.99000040 for it."""
    cid = create_customer(csp.client).domain_id
    assert failures(freeze(csp.client, [cid])) == {cid: ALREADY_FROZEN}
    assert failures(freeze(csp.client, [cid], freeze_type="ACCOUNT")) == {cid: ALREADY_FROZEN}


def test_freeze_widens_to_account_and_resource(csp):
    """R-RCM-10/R-RCM-12: an ACCOUNT freeze widens to ACCOUNT_AND_RESOURCE; freezing it again
    (either type) is CBC.99000040; the unfreeze must then be ACCOUNT_AND_RESOURCE (ACCOUNT -> CBC.99000042)."""
    cid = create_customer(csp.client).domain_id
    assert failures(freeze(csp.client, [cid], freeze_type="ACCOUNT_AND_RESOURCE")) == {}
    next_second()
    assert failures(freeze(csp.client, [cid], freeze_type="ACCOUNT_AND_RESOURCE")) == {cid: ALREADY_FROZEN}
    assert failures(freeze(csp.client, [cid], freeze_type="ACCOUNT")) == {cid: ALREADY_FROZEN}
    assert failures(unfreeze(csp.client, [cid], unfreeze_type="ACCOUNT")) == {cid: FREEZE_TYPE_MISMATCH}
    assert is_frozen(csp.client, cid) == 1
    assert failures(unfreeze(csp.client, [cid], unfreeze_type="ACCOUNT_AND_RESOURCE")) == {}
    assert is_frozen(csp.client, cid) == 0


def test_freeze_applies_the_good_ids_and_reports_the_rest(csp, enrol):
    """A batch applies what it can: another partner's customer and an unknown id are
    CBC.99000035, an already frozen one CBC.99000040; the active customer is frozen and the other
    partner's customer is untouched."""
    mine, already = active_customer(csp.client), create_customer(csp.client).domain_id
    other = enrol("csp")
    foreign = active_customer(other.client)
    nobody = unknown_id()
    resp = freeze(csp.client, [mine, foreign, nobody, already])
    assert resp.status_code == 200
    assert failures(resp) == {foreign: NOT_YOUR_CUSTOMER, nobody: NOT_YOUR_CUSTOMER, already: ALREADY_FROZEN}
    assert is_frozen(csp.client, mine) == 1
    assert is_frozen(other.client, foreign) == 0


def test_freeze_of_a_referral_customer_is_reported(csp):
    """R-RCM-10: only reseller-model customers are frozen by their partner; a referral customer
    (created with the China-site cooperation_type "1") is CBC.99000036."""
    cid = create_referral_customer(csp.bss).domain_id
    assert failures(freeze(csp.client, [cid])) == {cid: NOT_RESELLER_CUSTOMER}


def test_freeze_takes_one_to_ten_ids(csp):
    """customer_ids holds 1 to 10 ids: 10 unknown ids are each reported CBC.99000035; 11 or none
    -> 400 CBC.0100."""
    ten = [unknown_id() for _ in range(10)]
    assert failures(freeze(csp.client, ten)) == {i: NOT_YOUR_CUSTOMER for i in ten}
    with fails(400, INVALID):
        freeze(csp.client, [unknown_id() for _ in range(11)])
    with fails(400, INVALID):
        freeze(csp.client, [])


@pytest.mark.parametrize("fields", [
    {"reason": None}, {"reason": ""}, {"reason": "x" * 513}, {"freeze_type": "RESOURCE"},
])
def test_bad_freeze_request_is_refused(csp, fields):
    """reason is required, non-empty, at most 512 characters; freeze_type is ACCOUNT or
    ACCOUNT_AND_RESOURCE -> 400 CBC.0100, and nothing is frozen."""
    cid = active_customer(csp.client)
    with fails(400, INVALID):
        freeze(csp.client, [cid], **fields)
    assert is_frozen(csp.client, cid) == 0


def test_freeze_reason_of_512_characters_is_accepted(csp):
    """reason may be 512 characters long."""
    cid = active_customer(csp.client)
    assert failures(freeze(csp.client, [cid], reason="x" * 512)) == {}


def test_distributor_freezes_its_resellers_customers(chain, enrol):
    """R-DIST-02: a distributor freezes and unfreezes its reseller's customers with
    indirect_partner_id; without it they are not its customers (CBC.99000035); a partner that is
    not its reseller -> 400 CBC.99000037."""
    d, r = chain.distributor, chain.reseller
    cid = active_customer(r.client)
    assert failures(freeze(d.client, [cid])) == {cid: NOT_YOUR_CUSTOMER}
    with fails(400, NOT_YOUR_RESELLER):
        freeze(d.client, [cid], indirect_partner_id=enrol("csp").id)
    assert is_frozen(r.client, cid) == 0
    assert failures(freeze(d.client, [cid], indirect_partner_id=r.id)) == {}
    assert is_frozen(r.client, cid) == 1
    with fails(400, NOT_YOUR_RESELLER):
        unfreeze(d.client, [cid], indirect_partner_id=enrol("reseller", distributor=enrol("distributor")).id)
    assert failures(unfreeze(d.client, [cid])) == {cid: NOT_YOUR_CUSTOMER}
    assert failures(unfreeze(d.client, [cid], indirect_partner_id=r.id)) == {}
    assert is_frozen(r.client, cid) == 0


# ----------------------------------------------------------------------------------------------
# unfreeze_sub_customers


def test_unfreeze_a_new_customer(csp):
    """R-RCM-12: a new customer's association freeze (ACCOUNT) is lifted by an ACCOUNT unfreeze
    (the default type); unfreezing again is CBC.99000041."""
    cid = create_customer(csp.client).domain_id
    resp = unfreeze(csp.client, [cid])
    assert resp.status_code == 200
    assert failures(resp) == {}
    assert is_frozen(csp.client, cid) == 0
    next_second()
    assert failures(unfreeze(csp.client, [cid])) == {cid: NOT_FROZEN}
    assert failures(unfreeze(csp.client, [cid], unfreeze_type="ACCOUNT_AND_RESOURCE")) == {cid: NOT_FROZEN}


def test_unfreeze_must_match_the_freeze_type(csp):
    """R-RCM-12: an ACCOUNT freeze cannot be lifted by an ACCOUNT_AND_RESOURCE unfreeze
    (CBC.99000042); the customer stays frozen."""
    cid = create_customer(csp.client).domain_id
    assert failures(unfreeze(csp.client, [cid], unfreeze_type="ACCOUNT_AND_RESOURCE")) == {cid: FREEZE_TYPE_MISMATCH}
    assert is_frozen(csp.client, cid) == 1


def test_unfreeze_applies_the_good_ids_and_reports_the_rest(csp, enrol):
    """A batch applies what it can: another partner's customer and an unknown id are
    CBC.99000035, an active one CBC.99000041, a referral customer CBC.99000036; the frozen
    customer is unfrozen and the other partner's customer stays frozen."""
    frozen, active = create_customer(csp.client).domain_id, active_customer(csp.client)
    referral = create_referral_customer(csp.bss).domain_id
    other = enrol("csp")
    foreign = create_customer(other.client).domain_id
    nobody = unknown_id()
    resp = unfreeze(csp.client, [frozen, active, referral, foreign, nobody])
    assert failures(resp) == {active: NOT_FROZEN, referral: NOT_RESELLER_CUSTOMER,
                              foreign: NOT_YOUR_CUSTOMER, nobody: NOT_YOUR_CUSTOMER}
    assert is_frozen(csp.client, frozen) == 0
    assert is_frozen(other.client, foreign) == 1


@pytest.mark.parametrize("fields", [
    {"customer_ids": []}, {"customer_ids": "eleven"}, {"reason": None}, {"reason": ""}, {"reason": "x" * 513},
    {"unfreeze_type": "RESOURCE"},
])
def test_bad_unfreeze_request_is_refused(csp, fields):
    """customer_ids 1..10, reason required non-empty <= 512 characters, unfreeze_type ACCOUNT or
    ACCOUNT_AND_RESOURCE -> 400 CBC.0100, and nothing is unfrozen."""
    cid = create_customer(csp.client).domain_id
    ids = fields.pop("customer_ids", [cid])
    if ids == "eleven":
        ids = [cid] + [unknown_id() for _ in range(10)]
    with fails(400, INVALID):
        unfreeze(csp.client, ids, **fields)
    assert is_frozen(csp.client, cid) == 1


# ----------------------------------------------------------------------------------------------
# Frozen partners (operator CLI)


def test_frozen_partner_cannot_develop_customers_and_its_customers_freeze(admin, csp):
    """R-QUOTA-10/R-RCM-11: while a partner is frozen it cannot create customers (403
    CBC.99000044), its customers' accounts and resources are frozen, and their resources cannot be
    unfrozen (CBC.99000043). Unfreezing the partner lifts the freezes it caused, and nothing more:
    the association freeze and the partner's own ACCOUNT_AND_RESOURCE freeze stay."""
    active, frozen = active_customer(csp.client), create_customer(csp.client).domain_id
    held = active_customer(csp.client)
    assert failures(freeze(csp.client, [held], freeze_type="ACCOUNT_AND_RESOURCE")) == {}
    admin("admin", "partner", "freeze", "--partner", csp.id)

    with fails(403, PARTNER_FROZEN):
        create_customer(csp.client)
    assert [is_frozen(csp.client, c) for c in (active, frozen, held)] == [1, 1, 1]
    resp = unfreeze(csp.client, [active], unfreeze_type="ACCOUNT_AND_RESOURCE")
    assert failures(resp) == {active: RESOURCES_STAY_FROZEN}
    assert is_frozen(csp.client, active) == 1

    admin("admin", "partner", "unfreeze", "--partner", csp.id)
    assert is_frozen(csp.client, active) == 0
    assert is_frozen(csp.client, frozen) == 1, "the association freeze was not the partner's to lift"
    assert is_frozen(csp.client, held) == 1, "the partner's own freeze was not the partner freeze's to lift"
    assert failures(unfreeze(csp.client, [frozen])) == {}
    assert failures(unfreeze(csp.client, [held], unfreeze_type="ACCOUNT_AND_RESOURCE")) == {}
    assert [is_frozen(csp.client, c) for c in (active, frozen, held)] == [0, 0, 0]
    assert create_customer(csp.client).domain_id


def test_frozen_distributor_freezes_its_resellers(admin, chain):
    """R-DIST-04/R-DIST-05: while a distributor is frozen, neither it (for its reseller) nor the
    reseller can create customers (403 CBC.99000044); the reseller's customers' accounts and
    resources are frozen and their resources cannot be unfrozen (CBC.99000043). Unfreezing the
    distributor lifts those freezes."""
    d, r = chain.distributor, chain.reseller
    cid = active_customer(r.client)
    admin("admin", "partner", "freeze", "--partner", d.id)

    with fails(403, PARTNER_FROZEN):
        create_customer(r.client)
    with fails(403, PARTNER_FROZEN):
        create_customer(d.client, indirect_partner_id=r.id)
    assert is_frozen(r.client, cid) == 1
    assert failures(unfreeze(r.client, [cid], unfreeze_type="ACCOUNT_AND_RESOURCE")) == {cid: RESOURCES_STAY_FROZEN}
    assert failures(unfreeze(d.client, [cid], unfreeze_type="ACCOUNT_AND_RESOURCE", indirect_partner_id=r.id)) == \
        {cid: RESOURCES_STAY_FROZEN}

    admin("admin", "partner", "unfreeze", "--partner", d.id)
    assert is_frozen(r.client, cid) == 0
    assert create_customer(r.client).domain_id
    assert create_customer(d.client, indirect_partner_id=r.id).domain_id
