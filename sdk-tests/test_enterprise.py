"""Enterprise multi-account through the official SDKs (BSS-API.md B1.11, B2.11; EMA-1 … EMA-7):
a partner's referral customer is verified as an enterprise (real-name application approved by
the operator), then, signing with its own key, reads its organization, sends an SMS code,
creates an independent member, lists it in both clients, and moves cash recorded by the operator
to the member and back, exactly; a reseller-model master gives part of its coupon to a unified
member and takes the rest back. A partner's key is refused.

Every test creates its own partner and customer."""
import uuid
from decimal import Decimal

import pytest
from huaweicloudsdkbss.v2.model import (
    ClaimEnterpriseMultiAccountCouponRequest,
    CreateEnterpriseProjectAuthRequest,
    CreateSubCustomerReqV2,
    CreateSubEnterpriseAccountRequest,
    ListEnterpriseMultiAccountRequest,
    ListEnterpriseOrganizationsRequest,
    ListEnterpriseSubCustomersRequest,
    ListMultiAccountRetrieveCouponsRequest,
    ListMultiAccountTransferCouponsRequest,
    NewCustomerV2,
    ReclaimEnterpriseMultiAccountCouponRequest,
    ReclaimSubEnterpriseAmountRequest,
    RetrieveEnterpriseMultiAccountCouponReq,
    RetrieveEnterpriseMultiAccountReq,
    SendSmsVerificationCodeRequest,
    SendSmVerificationCodeReq,
    ShowMultiAccountTransferAmountRequest,
    TemplateArgs,
    TransferEnterpriseMultiAccountCouponReq,
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


def _master(admin, endpoint, client_for, bss_client_for, reseller):
    """A customer of a new partner (referral, or with `reseller` in the reseller model) verified
    as an enterprise, with its own key, and its partner's clients."""
    partner, email = _partner_with_login(admin)
    token = _console(endpoint, "POST", "/api/v1/sessions", {"login": email, "password": PASSWORD})["token"]
    name = f"ent{uuid.uuid4().hex[:10]}"
    body = {"domain_name": name, "domain_area": "SG", "xaccount_id": name, "xaccount_type": "sdk",
            "password": PASSWORD}
    if not reseller:
        body["cooperation_type"] = "1"
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
    return {"customer_id": customer_id, "china": bss_client_for(key), "intl": client_for(key), "partner_bss": bss,
            "partner_id": partner["partner_id"]}


@pytest.fixture
def master(admin, endpoint, client_for, bss_client_for):
    return _master(admin, endpoint, client_for, bss_client_for, reseller=False)


@pytest.fixture
def reseller_master(admin, endpoint, client_for, bss_client_for):
    return _master(admin, endpoint, client_for, bss_client_for, reseller=True)


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


def test_a_reseller_master_gives_part_of_a_coupon_to_a_unified_member_and_takes_the_rest_back(reseller_master, admin):
    """EMA-7: the coupon its partner issued for the master's spend, partly given to a member in
    unified accounting (financial custody) and taken back, exactly, in the China-site client."""
    china = reseller_master["china"]
    orgs = china.list_enterprise_organizations(ListEnterpriseOrganizationsRequest())
    new = NewCustomerV2(customer_name=f"m{uuid.uuid4().hex[:10]}", use_pri_mobile_phone="Y", password="Member#2026")
    body = CreateSubCustomerReqV2(party_id=orgs.root_id, display_name="Operations", sub_customer_association_type=1,
                                  new_sub_customer=new, financial_custody=1)
    china.create_sub_enterprise_account(CreateSubEnterpriseAccountRequest(body=body))
    (member,) = china.list_enterprise_sub_customers(ListEnterpriseSubCustomersRequest()).sub_customer_infos
    coupon = admin("admin", "coupon", "--partner", reseller_master["partner_id"], "--customer",
                   reseller_master["customer_id"], "--face-value", "100", "--to", "2099-01-01T00:00:00Z",
                   "--memo", "Spring campaign", "--json")["coupon_id"]

    mine = china.list_multi_account_transfer_coupons(ListMultiAccountTransferCouponsRequest())
    assert mine.total_count == 1
    (listed,) = mine.avail_transfer_coupons
    assert (listed.coupon_id, listed.plan_name, Decimal(listed.balance)) == (coupon, "Spring campaign", Decimal("100"))

    give = TransferEnterpriseMultiAccountCouponReq(customer_id=member.id, coupon_id=coupon, amount="30.25",
                                                   trans_id=uuid.uuid4().hex)
    sub = china.claim_enterprise_multi_account_coupon(ClaimEnterpriseMultiAccountCouponRequest(body=give)).sub_coupon_id
    theirs = china.list_multi_account_retrieve_coupons(ListMultiAccountRetrieveCouponsRequest(sub_customer_id=member.id))
    assert theirs.total_count == 1
    (given,) = theirs.avail_retrieve_coupons
    assert (given.coupon_id, given.sub_coupon_id, Decimal(given.balance)) == (coupon, sub, Decimal("30.25"))
    mine = china.list_multi_account_transfer_coupons(ListMultiAccountTransferCouponsRequest())
    assert Decimal(mine.avail_transfer_coupons[0].balance) == Decimal("69.75")

    next_second()
    too_much = TransferEnterpriseMultiAccountCouponReq(customer_id=member.id, coupon_id=coupon, amount="69.76")
    with pytest.raises(ClientRequestException) as refused:
        china.claim_enterprise_multi_account_coupon(ClaimEnterpriseMultiAccountCouponRequest(body=too_much))
    assert (refused.value.status_code, refused.value.error_code) == (400, "CBC.99000057")

    back = RetrieveEnterpriseMultiAccountCouponReq(customer_id=member.id, coupon_id=coupon, sub_coupon_id=sub)
    taken = china.reclaim_enterprise_multi_account_coupon(ReclaimEnterpriseMultiAccountCouponRequest(body=back))
    assert Decimal(taken.real_retrieve_amout) == Decimal("30.25")
    mine = china.list_multi_account_transfer_coupons(ListMultiAccountTransferCouponsRequest())
    assert Decimal(mine.avail_transfer_coupons[0].balance) == Decimal("100")
    none = china.list_multi_account_retrieve_coupons(ListMultiAccountRetrieveCouponsRequest(sub_customer_id=member.id))
    assert none.total_count == 0
