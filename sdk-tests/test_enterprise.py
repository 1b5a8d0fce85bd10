"""Enterprise multi-account through the official SDKs (BSS-API.md B1.11, B2.11; EMA-1 … EMA-6):
a partner's referral customer is verified as an enterprise (real-name application approved by
the operator), then, signing with its own key, reads its organization, sends an SMS code,
creates an independent member, lists it in both clients, and moves cash recorded by the operator
to the member and back, exactly. A partner's key is refused.

Every test creates its own partner and customer."""
import uuid
from decimal import Decimal

import pytest
from huaweicloudsdkbss.v2.model import (
    CreateEnterpriseProjectAuthRequest,
    CreateSubCustomerReqV2,
    CreateSubEnterpriseAccountRequest,
    ListEnterpriseMultiAccountRequest,
    ListEnterpriseOrganizationsRequest,
    ListEnterpriseSubCustomersRequest,
    NewCustomerV2,
    ReclaimSubEnterpriseAmountRequest,
    RetrieveEnterpriseMultiAccountReq,
    SendSmsVerificationCodeRequest,
    SendSmVerificationCodeReq,
    ShowMultiAccountTransferAmountRequest,
    TemplateArgs,
    TransferEnterpriseMultiAccountReq,
    UpdateSubEnterpriseAmountRequest,
)
from huaweicloudsdkbss.v2.model import CreateSubCustomerRequest as BssCreateSubCustomerRequest
from huaweicloudsdkbssintl.v2.model import (
    ApplyEnterpriseRealnameAuthsReq,
    CreateEnterpriseRealnameAuthenticationRequest,
)
from huaweicloudsdkbssintl.v2.model import ListEnterpriseSubCustomersRequest as IntlMembersRequest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

from conftest import next_second
from test_catalog import _staff_token
from test_discounts import _partner_with_login
from test_orders import _console
from test_realname import JPEG, _review, _upload

PASSWORD = "Disc-pass-2026"
DEBIT = "BALANCE_TYPE_DEBIT"


@pytest.fixture
def master(admin, endpoint, client_for, bss_client_for):
    """A referral customer verified as an enterprise, with its own key, and its partner's
    clients."""
    partner, email = _partner_with_login(admin)
    token = _console(endpoint, "POST", "/api/v1/sessions", {"login": email, "password": PASSWORD})["token"]
    name = f"ent{uuid.uuid4().hex[:10]}"
    body = {"domain_name": name, "domain_area": "SG", "xaccount_id": name, "xaccount_type": "sdk",
            "password": PASSWORD, "cooperation_type": "1"}
    bss = bss_client_for(partner)
    customer_id = bss.create_sub_customer(BssCreateSubCustomerRequest(body=body)).domain_id
    for file in ("lic-front.jpg", "lic-back.jpg"):
        _upload(endpoint, token, customer_id, file, JPEG)
    apply = ApplyEnterpriseRealnameAuthsReq(customer_id=customer_id, identify_type=1,
                                            verified_file_url=["lic-front.jpg", "lic-back.jpg"],
                                            corp_name="Acme Group Ltd", verified_number="91310000MA1FL",
                                            xaccount_type="acme_IDP")
    intl = client_for(partner)
    intl.create_enterprise_realname_authentication(CreateEnterpriseRealnameAuthenticationRequest(body=apply))
    _review(endpoint, _staff_token(admin, endpoint), True)
    key = admin("admin", "key", "create", "--customer", customer_id, "--json")
    return {"customer_id": customer_id, "china": bss_client_for(key), "intl": client_for(key), "partner_bss": bss}


def test_a_master_creates_a_member_and_moves_funds_to_it_and_back(master, admin):
    china = master["china"]
    orgs = china.list_enterprise_organizations(ListEnterpriseOrganizationsRequest())
    assert orgs.root_id.isdigit() and orgs.child_nodes == []

    sms = SendSmVerificationCodeReq(mobile_phone="13900000001", language="en-us",
                                    sm_template_args=[TemplateArgs(key="sub_customer_name", value="acme-dev")])
    china.send_sms_verification_code(SendSmsVerificationCodeRequest(body=sms))

    new = NewCustomerV2(customer_name=f"m{uuid.uuid4().hex[:10]}", use_pri_mobile_phone="Y", password="Member#2026")
    body = CreateSubCustomerReqV2(party_id=orgs.root_id, display_name="Development", sub_customer_association_type=1,
                                  permission_ids=["READ_CONSUME_BILL"], new_sub_customer=new, financial_custody=0)
    china.create_sub_enterprise_account(CreateSubEnterpriseAccountRequest(body=body))
    listed = china.list_enterprise_sub_customers(ListEnterpriseSubCustomersRequest())
    assert listed.total_count == 1
    (member,) = listed.sub_customer_infos
    assert (member.name, member.display_name, member.status, member.org_id) == (
        new.customer_name, "Development", 1, orgs.root_id)
    assert master["intl"].list_enterprise_sub_customers(IntlMembersRequest()).total_count == 1

    admin("admin", "customer-payment", "--customer", master["customer_id"], "--amount", "50", "--json")
    mine = china.show_multi_account_transfer_amount(ShowMultiAccountTransferAmountRequest(balance_type=DEBIT))
    assert (mine.total_count, mine.amount_infos[0].avail_transfer_amount) == (1, Decimal("50"))
    give = TransferEnterpriseMultiAccountReq(customer_id=member.id, amount="20.50", trans_id=uuid.uuid4().hex)
    china.update_sub_enterprise_amount(UpdateSubEnterpriseAmountRequest(body=give))
    back = RetrieveEnterpriseMultiAccountReq(customer_id=member.id, amount="0.50")
    china.reclaim_sub_enterprise_amount(ReclaimSubEnterpriseAmountRequest(body=back))
    theirs = china.list_enterprise_multi_account(ListEnterpriseMultiAccountRequest(sub_customer_id=member.id,
                                                                                   balance_type=DEBIT))
    assert theirs.amount_infos[0].avail_retrieve_amount == Decimal("20")
    mine = china.show_multi_account_transfer_amount(ShowMultiAccountTransferAmountRequest(balance_type=DEBIT))
    assert mine.amount_infos[0].avail_transfer_amount == Decimal("30")
    next_second()
    too_much = TransferEnterpriseMultiAccountReq(customer_id=member.id, amount="30.01")
    with pytest.raises(ClientRequestException) as refused:
        china.update_sub_enterprise_amount(UpdateSubEnterpriseAmountRequest(body=too_much))
    assert (refused.value.status_code, refused.value.error_code) == (400, "CBC.99000057")
    china.create_enterprise_project_auth(CreateEnterpriseProjectAuthRequest())


def test_a_partners_key_is_refused(master):
    with pytest.raises(ClientRequestException) as refused:
        master["partner_bss"].list_enterprise_organizations(ListEnterpriseOrganizationsRequest())
    assert (refused.value.status_code, refused.value.error_code) == (403, "CBC.0151")
