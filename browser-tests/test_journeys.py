"""The console's key journeys, in a real browser, as each audience uses it."""
import json
import re
import tempfile

from playwright.sync_api import expect

from conftest import api, sign_in, unique

PASSWORD = "Secret123!"


def register_through_api(endpoint, cli, email):
    """An ordinary cloud account (set-up for journeys that start after registration)."""
    api(endpoint, "POST", "/api/v1/registration/verification-codes", {"email": email})
    code = cli.code_for(email)
    api(endpoint, "POST", "/api/v1/accounts", {
        "country": "SG", "email": email, "verification_code": code, "password": PASSWORD,
        "password_confirmation": PASSWORD, "accepts_id_agreement": True, "accepts_privacy_statement": True,
        "enable_services": True, "accepts_customer_agreement": True})



CATALOG = {
    "service_types": [{"code": "hws.service.type.ec2", "name": "Elastic Cloud Server"}],
    "resource_types": [{"code": "hws.resource.type.vm", "service_type": "hws.service.type.ec2", "name": "Cloud server"}],
    "usage_types": [{"code": "Duration", "resource_type": "hws.resource.type.vm", "name": "Duration"}],
    "measure_units": [{"id": 4, "name": "hour", "measure_type": 2}],
    "specs": [{"code": "s6.small.1.linux", "resource_type": "hws.resource.type.vm", "name": "s6 small Linux",
               "regions": ["ap-southeast-1"]}],
    "prices": [{"spec": "s6.small.1.linux", "region": "ap-southeast-1", "charging_mode": "PERIOD",
                "period_type": 2, "period_nums": [1, 2, 3], "amount": "6.80"}],
}

def test_invited_customer_accepts_in_the_reseller_model_and_is_budgeted_and_unfrozen(new_page, cli, shots):
    owner = f"{unique('owner')}@acme.example"
    cli.partner("Acme Cloud Pte Ltd", owner, PASSWORD)

    # The partner signs in and creates an invitation link in the reseller model (R-DEV-01).
    partner = new_page()
    sign_in(partner, owner, PASSWORD)
    expect(partner).to_have_url(re.compile(r"/partner$"))
    expect(partner.get_by_role("heading", name="Acme Cloud Pte Ltd")).to_be_visible()
    partner.get_by_role("link", name="Customer development").click()
    partner.get_by_label("Channel").select_option("link")
    partner.get_by_label("Association model").select_option("reseller")
    partner.get_by_role("button", name="Create invitation").click()
    notice = partner.locator(".flash.done")
    expect(notice).to_contain_text("The invitation link is ready")
    link = re.search(r"https?://\S+/invitations/[0-9a-f]+", notice.inner_text()).group(0)
    expect(partner.get_by_role("link", name="QR code").first).to_be_visible()
    shots(partner, "1-partner-invitation")

    # The customer opens the link, registers with an emailed code and accepts (R-ASSOC-18, -20).
    buyer_email = f"{unique('buyer')}@example.com"
    customer = new_page()
    customer.goto(link)
    expect(customer.get_by_role("heading", name="Acme Cloud Pte Ltd invites you")).to_be_visible()
    customer.get_by_label("Country or region").fill("SG")
    customer.get_by_role("textbox", name="Email", exact=True).fill(buyer_email)
    customer.get_by_role("button", name="Send verification code").click()
    expect(customer.get_by_role("status")).to_contain_text("A verification code is on its way")
    customer.get_by_label("Verification code").fill(cli.code_for(buyer_email))
    customer.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    customer.get_by_label("Confirm the password").fill(PASSWORD)
    customer.get_by_label("I accept the HUAWEI ID User Agreement").check()
    customer.get_by_label("I accept the Statement About HUAWEI ID and Privacy").check()
    customer.get_by_label("I accept the Customer Agreement and Privacy Statement").check()
    shots(customer, "1-customer-registers")
    # Without the Instructions the reseller model is refused, next to the box (R-ASSOC-18).
    customer.get_by_role("button", name="Register and associate").click()
    expect(customer.locator(".field.invalid, .flash.failed").first).to_be_visible()
    customer.get_by_label("Verification code").fill(cli.code_for(buyer_email))
    customer.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    customer.get_by_label("Confirm the password").fill(PASSWORD)
    customer.get_by_label("Instructions for Associating").check()
    customer.get_by_role("button", name="Register and associate").click()

    # Associated and frozen until the partner sets a budget (R-ASSOC-23, R-RCM-02).
    expect(customer).to_have_url(re.compile(r"/my-partner$"))
    expect(customer.locator("#partner-name")).to_have_text("Acme Cloud Pte Ltd")
    expect(customer.locator("#frozen-notice")).to_be_visible()
    shots(customer, "1-customer-my-partner-frozen")

    # The partner sees the customer frozen, sets a monthly budget and unfreezes it.
    partner.get_by_role("link", name="Customers").click()
    row = partner.locator("tbody tr").first
    expect(row).to_contain_text("Reseller")
    expect(row).to_contain_text("Frozen")
    shots(partner, "1-partner-customers-frozen")
    row.get_by_role("link").click()
    expect(partner.locator("#customer-state")).to_contain_text("Frozen")
    partner.get_by_label("Amount").fill("100")
    partner.get_by_label("Type").select_option("monthly")
    expect(partner.get_by_label("Also unfreeze the customer")).to_be_checked()
    partner.get_by_role("button", name="Set budget").click()
    expect(partner.locator(".flash.done")).to_have_text("The budget is set.")
    expect(partner.locator("#customer-state")).to_have_text("Active")
    expect(partner.locator("meter")).to_be_visible()
    shots(partner, "1-partner-budget-set")

    customer.reload()
    expect(customer.locator("#frozen-notice")).to_have_count(0)

    # Unfrozen, the customer buys two months of a server at list price and pays (issue #6), and
    # accepts the authorization letter for its partner (R-RCM-14).
    catalog = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    json.dump(CATALOG, catalog)
    catalog.close()
    cli("admin", "catalog", "import", catalog.name)
    customer.get_by_role("link", name="Orders").click()
    customer.get_by_role("button", name="Accept the letter").click()
    expect(customer.locator(".flash.done")).to_contain_text("may now order and manage resources")
    # The terms sold are the choices, each with its price (issue 17).
    customer.get_by_label("Product and term").select_option(index=0)
    customer.get_by_label("Quantity").fill("2")
    customer.get_by_role("button", name="Place the order").click()
    expect(customer.locator(".flash.done")).to_contain_text("USD 13.60, pending payment")
    order = customer.locator("tbody tr").first
    expect(order).to_contain_text("Pending payment")
    # Paying shows its amount and cannot complete without its confirmation (issue 17).
    order.get_by_role("button", name="Pay USD 13.60").click()
    expect(customer.locator("tbody tr").first).to_contain_text("Pending payment")
    order.get_by_label("I confirm paying").check()
    order.get_by_role("button", name="Pay USD 13.60").click()
    expect(customer.locator(".flash.done")).to_contain_text("is paid")
    expect(customer.locator("tbody tr").first).to_contain_text("Completed")
    expect(customer.get_by_role("cell", name="In use")).to_have_count(2)
    shots(customer, "1-customer-orders")
    customer.get_by_label("Quantity").fill("0")
    customer.get_by_role("button", name="Place the order").click()
    expect(customer.locator(".field.invalid .error")).to_contain_text("from 1 to 100")
    # The partner sees the order and the resources on the customer's page (R-RCM-01).
    partner.reload()
    expect(partner.locator("#commerce")).to_contain_text("Completed")
    expect(partner.locator("#commerce")).to_contain_text("authorized you")
    expect(partner.locator("#commerce").get_by_role("cell", name="In use")).to_have_count(2)
    # With the letter the partner buys a month for the customer and pays it (R-RCM-14).
    partner.locator("#commerce").get_by_label("Quantity").fill("1")
    partner.locator("#commerce").get_by_role("button", name="Place the order").click()
    expect(partner.locator(".flash.done")).to_contain_text("USD 6.80, pending payment")
    pending = partner.locator("#commerce tbody tr", has_text="Pending payment")
    pending.get_by_label("I confirm paying").check()
    pending.get_by_role("button", name="Pay USD 6.80").click()
    expect(partner.locator(".flash.done")).to_contain_text("is paid")
    expect(partner.locator("#commerce").get_by_role("cell", name="In use")).to_have_count(3)
    shots(partner, "1-partner-orders-for-customer")

    # Freezing asks first (the dialog is accepted) and needs a reason, shown next to its field.
    partner.get_by_label("Reason").fill(" ")
    partner.get_by_role("button", name="Freeze").click()
    expect(partner.locator(".field.invalid .error")).to_contain_text("Is required")
    partner.get_by_label("Reason").fill("Overdue invoice")
    partner.get_by_role("button", name="Freeze").click()
    expect(partner.locator("#customer-state")).to_contain_text("Frozen (account only, by you)")

    # The audit log reads in words (issue #17): labels, names, the budget in money, the order
    # the partner placed on its customer's behalf, the freeze and its reason, no Debug text. It
    # fits a laptop and a phone, times on one line, and its filters narrow it.
    partner.get_by_role("link", name="Audit log").click()
    log = partner.locator(".audit-log tbody")
    expect(log).to_contain_text("Budget set")
    expect(log).to_contain_text("monthly, USD 100.00")
    expect(log).to_contain_text("on behalf of")
    expect(log).to_contain_text("frozen: account (partner), reason “Overdue invoice” (was not frozen)")
    expect(log).not_to_contain_text("Some(")
    assert partner.evaluate("document.documentElement.scrollWidth") <= 1280
    assert log.locator("td").first.evaluate("td => getComputedStyle(td).whiteSpace") == "nowrap"
    shots(partner, "1-partner-audit-log")
    partner.get_by_label("Action", exact=True).select_option(label="Customer frozen")
    partner.get_by_role("button", name="Filter").click()
    expect(log.locator("tr")).to_have_count(1)
    expect(log).to_contain_text("Customer frozen")
    partner.set_viewport_size({"width": 390, "height": 844})
    assert partner.evaluate("document.documentElement.scrollWidth") <= 390
    shots(partner, "1-partner-audit-log-390")
    partner.set_viewport_size({"width": 1280, "height": 900})

    # The CSV export has the customer.
    with partner.expect_download() as download:
        partner.goto("/partner/customers")
        partner.get_by_role("link", name="Download CSV").click()
    csv = open(download.value.path(), encoding="utf-8", newline="").read()
    assert csv.startswith("Customer,Model,State,Budget use,Associated\r\n") and "Reseller" in csv

    # The charts (issue #17): the customer's spend this month and its budget's use against the
    # 75/90/100 % lines, drawn on the server as SVG with a title, a description and the figures.
    partner.locator("tbody tr").first.get_by_role("link").click()
    expect(partner.locator("#spend svg[role=img]")).to_have_count(2)
    expect(partner.locator("#budget svg title")).to_have_text("Budget use over the month")
    expect(partner.locator("#budget svg desc")).to_contain_text("Monthly budget")
    partner.locator("#budget summary").click()
    expect(partner.locator("#budget table.chart-data").last).to_contain_text("100.00")
    shots(partner, "1-partner-customer-charts")
    partner.get_by_role("link", name="Overview").click()
    expect(partner.locator("#spend svg[role=img]")).to_have_count(2)
    expect(partner.locator("#todos")).to_be_visible()
    shots(partner, "1-partner-overview-charts")
    # On a phone the charts shrink to the screen: nothing scrolls sideways.
    partner.set_viewport_size({"width": 390, "height": 844})
    assert partner.evaluate("document.documentElement.scrollWidth") <= 390
    shots(partner, "1-partner-overview-charts-390")
    partner.set_viewport_size({"width": 1280, "height": 900})
    customer.get_by_role("link", name="My bills").click()
    expect(customer.locator("#spend svg title").first).to_have_text("Budget use over the month")
    shots(customer, "1-customer-my-bills-charts")

    # The partner sends its notices to a webhook too; the signing secret is shown once, and a
    # bad email is refused next to its field.
    partner.get_by_role("link", name="Notices").click()
    partner.get_by_label("Webhook URL").fill("https://hooks.acme.example/opc")
    partner.get_by_role("button", name="Set the webhook").click()
    expect(partner.locator("#webhook-secret")).to_be_visible()
    expect(partner.locator("#webhook-url")).to_have_text("https://hooks.acme.example/opc")
    shots(partner, "1-partner-notices")
    partner.get_by_label("Emails, separated by commas").fill("finance@acme.example, not-an-email")
    partner.get_by_role("button", name="Save recipients").click()
    expect(partner.locator(".field.invalid .error")).to_contain_text("not-an-email")
    partner.get_by_label("Emails, separated by commas").fill("finance@acme.example")
    partner.get_by_role("button", name="Save recipients").click()
    expect(partner.locator(".flash.done")).to_have_text("Notices go to finance@acme.example.")


def test_an_ineligible_account_applies_to_a_program_and_sees_every_cause(new_page, endpoint, cli, shots):
    email = f"{unique('hopeful')}@example.com"
    register_through_api(endpoint, cli, email)

    page = new_page()
    sign_in(page, email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/my-partner$"))
    page.get_by_role("link", name="Partner programs").click()
    page.get_by_role("row", name=re.compile("Cloud Solution Provider")).get_by_role("link", name="Conditions and application").click()
    causes = page.locator("li.cause")
    expect(page.get_by_role("heading", name=re.compile(r"View Cause"))).to_be_visible()
    assert causes.count() >= 2, "an individual account outside HCPN fails several conditions"
    for i in range(causes.count()):
        expect(causes.nth(i)).to_contain_text("Fix:")
    expect(page.locator("ul.causes")).to_contain_text("R-PROG-03")

    # Applying anyway is refused with the same list: nothing is submitted (R-PROG-05).
    page.get_by_label("Solution Provider Cooperation Agreement").check()
    page.get_by_role("button", name="Apply to Cloud Solution Provider").click()
    expect(page.locator(".flash.failed")).to_contain_text("The application was refused")
    expect(page.locator("li.cause")).to_have_count(causes.count())
    shots(page, "2-program-view-cause")
    page.goto("/programs")
    expect(page.get_by_role("row", name=re.compile("Cloud Solution Provider"))).to_contain_text("Not applied")


def test_an_account_manager_sees_only_their_own_customers(new_page, endpoint, cli, shots):
    owner = f"{unique('owner')}@globex.example"
    cli.partner("Globex Cloud Pte Ltd", owner, PASSWORD)
    session = api(endpoint, "POST", "/api/v1/sessions", {"login": owner, "password": PASSWORD})["token"]
    link = api(endpoint, "POST", "/api/v1/partner/invitations", {"channel": "link", "model": "reseller"}, session)
    customers = []
    for who in ("alpha", "beta"):
        email = f"{unique(who)}@example.com"
        api(endpoint, "POST", "/api/v1/registration/verification-codes", {"email": email})
        accepted = api(endpoint, "POST", f"/api/v1/invitations/{link['token']}/accept-by-registering", {
            "country": "SG", "email": email, "verification_code": cli.code_for(email), "password": PASSWORD,
            "password_confirmation": PASSWORD, "accepts_id_agreement": True, "accepts_privacy_statement": True,
            "accepts_customer_agreement": True, "accepts_association_instructions": True})
        customers.append(accepted)

    # The administrator adds two account managers in the console.
    admin = new_page()
    sign_in(admin, owner, PASSWORD)
    admin.get_by_role("link", name="Organization").click()
    managers = []
    for name in ("Mia Manager", "Max Manager"):
        email = f"{unique(name.split()[1].lower())}@globex.example"
        admin.get_by_role("textbox", name=re.compile(r"^Name\b")).fill(name)
        admin.get_by_label("Email (their sign-in)").fill(email)
        admin.get_by_label("Initial password").fill(PASSWORD)
        admin.get_by_label("Position").select_option("account_manager")
        admin.get_by_role("button", name="Add member").click()
        expect(admin.locator(".flash.done")).to_contain_text(f"{name} can now sign in")
        managers.append(email)
    # Members can do only what their role allows (R-ORG-02): a role that sees customers.
    admin.get_by_label("Role name").fill("Account managers")
    admin.get_by_label("See customers, budgets and spend").check()
    admin.get_by_role("button", name="Create role").click()
    expect(admin.locator(".flash.done")).to_have_text("Role Account managers is created.")
    for name in ("Mia Manager", "Max Manager"):
        row = admin.get_by_role("row", name=re.compile(name))
        row.get_by_label("Role").select_option(label="Account managers")
        row.get_by_role("button", name="Save").click()
        expect(admin.locator(".flash.done")).to_have_text(f"{name} is updated.")
    shots(admin, "3-organization")

    # Each customer gets its own manager.
    for customer, manager in zip(customers, ("Mia Manager", "Max Manager")):
        admin.goto(f"/partner/customers/{customer['customer_id']}")
        admin.get_by_label("Account manager").select_option(label=manager)
        admin.get_by_role("button", name="Assign").click()
        expect(admin.locator(".flash.done")).to_have_text("The account manager is assigned.")

    # Mia sees Alpha only; Beta's page is not hers (R-ORG-19).
    mia = new_page()
    sign_in(mia, managers[0], PASSWORD, then="/partner/customers")
    rows = mia.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(customers[0]["account_name"])
    expect(mia.locator("table")).not_to_contain_text(customers[1]["account_name"])
    shots(mia, "3-manager-sees-own-customers")
    response = mia.goto(f"/partner/customers/{customers[1]['customer_id']}")
    assert response.status == 404
    expect(mia.get_by_role("heading", name="Not available")).to_be_visible()
    shots(mia, "3-manager-refused-other-customer")

    # The same list reads well on a phone.
    phone = new_page(width=390, height=844)
    sign_in(phone, managers[0], PASSWORD, then="/partner/customers")
    expect(phone.locator("tbody tr")).to_have_count(1)
    shots(phone, "3-manager-on-a-phone")


def test_a_form_from_another_site_or_without_its_token_is_refused(new_page, endpoint):
    page = new_page()
    page.goto("/login")
    forged = page.request.post(f"{endpoint}/login", form={"login": "x@example.com", "password": "y"})
    assert forged.status == 403
    assert "earlier session" in forged.text()


def test_operator_reviews_and_sets_a_partners_quota(new_page, cli, shots):
    staff = f"{unique('ops')}@provider.example"
    cli("admin", "staff", "create", "--email", staff, "--name", "Olga Ops", stdin=PASSWORD + "\n")
    name = f"Initech {unique('x')}"
    cli.partner(name, f"{unique('owner')}@initech.example", PASSWORD)

    page = new_page()
    sign_in(page, staff, PASSWORD)
    expect(page).to_have_url(re.compile(r"/operator$"))
    expect(page.get_by_role("heading", name="Reviews")).to_be_visible()
    page.get_by_role("link", name="Program applications").click()
    expect(page.get_by_role("table")).to_be_visible()

    # R-QUOTA-02: the operator sets the partner's consumption quota.
    page.get_by_role("link", name="Partners").click()
    page.get_by_label("Name contains").fill(name)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=name).click()
    page.get_by_label("Quota (0 for none)").fill("-5")
    page.get_by_role("button", name="Set quota").click()
    expect(page.locator(".field.invalid .error")).to_contain_text("Must not be negative")
    page.get_by_label("Quota (0 for none)").fill("50000")
    page.get_by_role("button", name="Set quota").click()
    expect(page.locator(".flash.done")).to_have_text("The consumption quota is set.")
    expect(page.locator("meter")).to_be_visible()
    shots(page, "4-operator-partner-quota")
    page.get_by_role("link", name="Audit log").click()
    expect(page.locator("tbody")).to_contain_text("partner")


def test_operator_records_a_payment_and_the_partner_sees_its_balance(new_page, cli, shots):
    staff = f"{unique('ops')}@provider.example"
    cli("admin", "staff", "create", "--email", staff, "--name", "Olga Ops", stdin=PASSWORD + "\n")
    name = f"Globex {unique('x')}"
    owner = f"{unique('owner')}@globex.example"
    cli.partner(name, owner, PASSWORD)

    # The operator records money received on the partner's balance (R-QUOTA-07).
    page = new_page()
    sign_in(page, staff, PASSWORD)
    page.get_by_role("link", name="Partners").click()
    page.get_by_label("Name contains").fill(name)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=name).click()
    page.get_by_label("Amount").fill("-1")
    page.get_by_role("button", name="Record").click()
    expect(page.locator(".field.invalid .error")).to_contain_text("more than 0")
    page.get_by_label("Amount").fill("1250.5")
    page.get_by_label("Memo").fill("wire 2026-12-01")
    page.get_by_role("button", name="Record").click()
    expect(page.locator(".flash.done")).to_have_text("Recorded. The balance is now USD 1,250.50.")
    expect(page.locator("#partner-balance")).to_have_text("USD 1,250.50")
    expect(page.get_by_role("cell", name="wire 2026-12-01")).to_be_visible()
    shots(page, "5-operator-records-a-payment")
    page.get_by_role("link", name="Bills").click()
    expect(page.get_by_role("heading", name="Close a month")).to_be_visible()

    # The partner's Bills page: nothing due, the balance, the open month's estimate.
    partner = new_page()
    sign_in(partner, owner, PASSWORD)
    partner.get_by_role("link", name="Bills").click()
    expect(partner.get_by_role("heading", name="Expenditures and bills")).to_be_visible()
    expect(partner.locator("#account-balance")).to_have_text("USD 1,250.50")
    expect(partner.locator("#amount-due")).to_have_text("USD 0.00")
    expect(partner.locator("#bill-estimate")).to_have_text("USD 0.00")
    expect(partner.get_by_role("link", name="Export XLSX")).to_be_visible()
    shots(partner, "6-partner-bills")


def test_operator_grants_a_coupon_quota_and_the_partner_sees_it(new_page, cli, shots):
    staff = f"{unique('ops')}@provider.example"
    cli("admin", "staff", "create", "--email", staff, "--name", "Olga Ops", stdin=PASSWORD + "\n")
    owner = f"{unique('owner')}@hooli.example"
    partner_id = cli.partner(f"Hooli {unique('x')}", owner, PASSWORD)["partner_id"]

    # R-CPN-01: the operator grants a quota from its Coupons page; a bad day is shown beside its field.
    page = new_page()
    sign_in(page, staff, PASSWORD)
    page.get_by_role("link", name="Coupons", exact=True).click()
    page.get_by_label("Partner ID of the quota holder").fill(partner_id)
    page.get_by_label("Quota value (USD)").fill("250.5")
    page.get_by_label("Quota valid until (YYYY-MM-DD, excluded)").fill("next week")
    page.get_by_role("button", name="Grant the quota").click()
    expect(page.locator(".field.invalid .error")).to_contain_text("Must be a date")
    expect(page.get_by_label("Quota value (USD)")).to_have_value("250.5")
    page.get_by_label("Quota valid until (YYYY-MM-DD, excluded)").fill("2099-01-01")
    page.get_by_role("button", name="Grant the quota").click()
    expect(page.locator(".flash.done")).to_contain_text(f"Granted partner {partner_id} coupon quota")

    # The partner's Coupon quotas page: 2 decimals shown, the 8 on hover (R-BILL-06).
    partner = new_page()
    sign_in(partner, owner, PASSWORD)
    partner.get_by_role("link", name="Coupon quotas").click()
    expect(partner.get_by_role("heading", name="Coupon quotas", exact=True)).to_be_visible()
    balance = partner.get_by_role("table", name="Your coupon quotas").locator("span.num").first
    expect(balance).to_have_text("USD 250.50")
    expect(balance).to_have_attribute("title", "250.50000000")
    expect(partner.get_by_role("table", name="Quota history")).to_contain_text("Granted by the operator")
    shots(partner, "7-partner-coupon-quotas")
