# English words of the console: operator pages. Ids are shared with zh-CN/operator.ftl.

## The price trace (console/trace.rs): on bills and orders

discounts-trace-how = How
discounts-trace-list-price = List price
discounts-trace-settlement-rate = Settlement discount ({ $rate })
discounts-trace-settlement = Settlement discount
discounts-trace-adjustment = Price adjustment { $id } ({ $rate } off)
discounts-trace-partner = Partner discount { $id } ({ $rate } off)
discounts-trace-given-back-coupon-order = Given back to cash coupon { $coupon } by unsubscription { $order }, not to the partner
discounts-trace-given-back-coupon = Given back to cash coupon { $coupon }, not to the partner
discounts-trace-given-back-coupons-order = Given back to cash coupons by unsubscription { $order }, not to the partner
discounts-trace-given-back-coupons = Given back to cash coupons, not to the partner
discounts-trace-cash-coupon = Cash coupon
discounts-trace-test-coupon = Test coupon
discounts-trace-coupon-named = { $kind } { $coupon }
discounts-trace-cash-coupons = Cash coupons
discounts-trace-test-coupons = Test coupons
discounts-trace-coupon-held = { $coupons }, held for order { $order }

## Approving and rejecting a queued item (operator.rs, operator_coupons.rs, operator_realname.rs)

operator-decision-approve-confirm = Approve { $what }?
operator-decision-approve = Approve
operator-decision-reject-confirm = Reject { $what }?
operator-decision-reason-for = Reason for rejecting { $what }
operator-decision-reason = Reason
operator-decision-reject = Reject

## Reviews (operator.rs)

operator-reviews-title = Reviews
operator-reviews-queues = Queues
operator-queue-hcpn = HCPN applications
operator-queue-programs = Program applications
operator-queue-information = Information authentication
operator-reviews-program-what = { $program } for { $applicant }
operator-info-business = Business
operator-info-payment = Payment
operator-info-business-what = the business information
operator-info-payment-what = the payment information
operator-col-applicant = Applicant
operator-col-program = Program
operator-col-business-area = Business area
operator-col-submitted = Submitted
operator-col-partner = Partner
operator-col-kind = Kind
operator-col-submitted-data = Submitted data
operator-col-company = Company
operator-col-country = Country
operator-col-contact = Contact
operator-col-review-reasons = Why it needs review
operator-hcpn-approved = The HCPN application is approved.
operator-hcpn-rejected = The HCPN application is rejected.
operator-program-approved = The program application is approved.
operator-program-rejected = The program application is rejected.
operator-info-approved = The information is approved.
operator-info-rejected = The information is rejected.
operator-no-such-information = No such information.

## Partners (operator.rs)

operator-partners-title = Partners
operator-partners-name-contains = Name contains
operator-partners-search = Search
operator-partners-enrollment = { $program } ({ $tier })
operator-list-separator = {", "}
operator-col-programs = Programs
operator-col-state = State
operator-col-quota = Consumption quota
operator-col-since = Since

## A partner (operator.rs)

operator-no-partner = There is no partner { $id }.
operator-partner-back = ← Partners
operator-partner-id = Partner id
operator-partner-account = Account
operator-partner-country = Country
operator-partner-state = State
operator-partner-programs = Programs
operator-partner-quota = Consumption quota
operator-partner-quota-gauge = Reseller customers' spend
operator-partner-quota-unset = Not set. Spend so far: { $spent }.
operator-partner-quota-field = Quota (0 for none)
operator-partner-quota-set = Set quota
operator-partner-balance-title = Account balance
operator-partner-balance = Balance:{" "}
operator-partner-entry = Entry{" "}
operator-partner-entry-payment = Payment received (a repayment or an advance)
operator-partner-entry-adjustment = Adjustment (negative to take)
operator-partner-entry-amount = Amount
operator-partner-entry-memo = Memo
operator-partner-entry-record = Record
operator-partner-no-entries = No entries yet.
operator-ledger-when = When
operator-ledger-entry = Entry
operator-ledger-amount = Amount
operator-ledger-balance-after = Balance after
operator-ledger-memo = Memo
operator-entry-payment = Payment
operator-entry-adjustment = Adjustment
operator-entry-bill-deduction = Bill deduction
operator-entry-allocation = Allocation
operator-entry-reclaim = Reclaim
operator-entry-unbind = Returned at disassociation
operator-partner-latest-entries = The 10 latest of { $count } entries.
operator-partner-freeze-title = Freeze
operator-partner-unfreeze-confirm = Unfreeze this partner and its customers?
operator-partner-unfreeze = Unfreeze the partner
operator-partner-freeze-hint = Freezing a partner freezes its customers too, and a distributor's resellers with theirs (R-QUOTA-10, R-DIST-05).
operator-partner-freeze-confirm = Freeze this partner and all its customers?
operator-partner-freeze = Freeze the partner
operator-quota-set-done = The consumption quota is set.
operator-balance-recorded = Recorded. The balance is now { $balance }.
operator-no-such-change = No such change.
operator-partner-now-normal = The partner is now normal.
operator-partner-now-restricted = The partner is now restricted.
operator-partner-now-frozen = The partner is now frozen.

## Bills (operator_bills.rs)

operator-bills-title = Bills
operator-bills-phase-customers = Closing customers' bills
operator-bills-phase-partners = Closing partners' bills
operator-bills-phase-done = Done
operator-bills-runs = Bill runs
operator-bills-col-month = Month
operator-bills-col-state = State
operator-bills-col-customers = Customers billed
operator-bills-col-partners = Partners billed
operator-bills-col-started = Started
operator-bills-col-finished = Finished
operator-bills-owed = Amounts due
operator-bills-col-partner = Partner
operator-bills-col-due = Amount due
operator-bills-col-arrears = In arrears
operator-bills-col-unpaid = Unpaid bills
operator-bills-close = Close a month
operator-bills-close-hint = The server closes each month by itself at its closing time (by default the 5th at 12:00 in the billing zone). Closing one by hand runs the same bill run; a month already closed changes nothing.
operator-bills-month = Month (YYYY-MM)
operator-bills-run = Run the bill run
operator-bills-run-started = The bill run of { $month } has started.
operator-bills-tax = Output tax
operator-bills-tax-hint = Shown apart on partner bills, never in the amount due.
operator-bills-tax-country = Country (ISO code)
operator-bills-tax-rate = Rate, e.g. 0.09
operator-bills-tax-set = Set the rate
operator-bills-tax-done = The tax rate is set.

## A partner's settlement discounts (operator_bills.rs, on the partner's page)

operator-settlement-title = Settlement discounts
operator-settlement-hint = What the partner owes for its reseller customers' spend is the list price less this discount (R-BILL-01).
operator-settlement-none = None set: the partner settles at list price.
operator-settlement-col-from = From
operator-settlement-col-default = Default
operator-settlement-col-by-service = By service type
operator-settlement-from = From month (YYYY-MM){" "}
operator-settlement-default = Default discount, e.g. 0.15{" "}
operator-settlement-services = Per service type, one a line: hws.service.type.ec2=0.2{" "}
operator-settlement-set = Set discounts
operator-settlement-done = The settlement discounts are set.

## Coupons (operator_coupons.rs)

operator-coupons-title = Coupons
operator-coupons-intro = Give partners coupon quotas, from which they issue cash coupons to their reseller customers or pass quota to their resellers, and cash coupons of their own that pay their bills (R-CPN-01, R-CPN-03). Amounts are in whole cents; dates are UTC days, the end excluded.
operator-coupons-grant = Grant a coupon quota
operator-coupons-grant-partner = Partner ID of the quota holder
operator-coupons-grant-value = Quota value (USD)
operator-coupons-grant-from = Quota valid from (YYYY-MM-DD; empty: now)
operator-coupons-grant-until = Quota valid until (YYYY-MM-DD, excluded)
operator-coupons-grant-types = Quota's cloud service types, comma-separated (empty: any)
operator-coupons-grant-remark = Remark
operator-coupons-grant-submit = Grant the quota
operator-coupons-give = Give a cash coupon
operator-coupons-partner-id = Partner ID
operator-coupons-give-customer = For one reseller customer only (its ID; empty: all the partner's reseller customers)
operator-coupons-give-value = Face value (USD)
operator-coupons-give-from = Valid from (YYYY-MM-DD; empty: now)
operator-coupons-give-until = Valid until (YYYY-MM-DD, excluded)
operator-coupons-give-types = Cloud service types, comma-separated (empty: any)
operator-coupons-give-mode = Billing mode it pays: period (yearly/monthly) or on_demand (pay-per-use); empty: both
operator-coupons-give-share = Usage-limit ratio: the largest share of each bill line it pays, e.g. 0.5 (empty: all)
operator-coupons-give-memo = Remarks
operator-coupons-give-submit = Give the coupon
operator-coupons-convert = Convert a partner's coupon quotas
operator-coupons-convert-hint = What is left of each of the partner's usable quotas becomes a cash coupon of the partner's for all its reseller customers, with the quota's limits and end date; the quota's history shows the conversion (R-CPN-05). Allowed once the partner's bill of last month is generated.
operator-coupons-convert-submit = Convert its quotas
operator-coupons-granted = Granted partner { $partner } coupon quota { $quota } of { $amount }.
operator-coupons-nothing-to-convert = Partner { $partner } has no quota balance to convert.
operator-coupons-converted = Converted { $amount } of partner { $partner }'s quotas into cash coupons { $coupons }.
operator-coupons-given = Gave partner { $partner } cash coupon { $coupon } of { $amount }.

## Test-coupon requests (operator_coupons.rs)

operator-tc-title = Test-coupon requests
operator-tc-intro = Approving a request issues its test coupon, valid from now for the request's days: for all the partner's reseller customers, or for the project's customer only (R-CPN-16). Rejecting needs a reason and frees the amount of the partner's limit.
operator-tc-queue-pending = Pending
operator-tc-queue-all = All requests
operator-tc-all-customers = All reseller customers
operator-tc-project = Project of customer { $customer }: { $background } (order expected { $date } of { $amount })
operator-tc-pending = Pending
operator-tc-approved-status = Approved { $at } by { $by } · coupon { $coupon }
operator-tc-rejected-status = Rejected { $at } by { $by }: { $reason }
operator-tc-price-list = Price list
operator-tc-what = the request of { $partner } for { $amount }
operator-tc-caption-pending = Pending test-coupon requests
operator-tc-caption-all = Test-coupon requests
operator-tc-col-requested = Requested
operator-tc-col-partner = Partner
operator-tc-col-amount = Amount
operator-tc-col-for = For
operator-tc-col-days = Days
operator-tc-col-resource = Resource configuration
operator-tc-col-purpose = Purpose
operator-tc-col-status = Status
operator-tc-project-title = File a project request for a partner
operator-tc-project-hint = For one of the partner's reseller customers, on the partner's behalf (R-CPN-20, R-CPN-21); outside its tier's limit.
operator-tc-customer-id = Customer ID
operator-tc-amount = Amount (USD)
operator-tc-resource = Resource configuration: the shared Price Calculator link
operator-tc-purpose = Purpose
operator-tc-days = Test duration in days (default 30)
operator-tc-background = Project background
operator-tc-order-date = Expected order date (YYYY-MM-DD)
operator-tc-order-amount = Expected order amount (USD)
operator-tc-project-submit = File the request
operator-tc-filed = Filed request { $request } of { $amount } for partner { $partner }; approve it below.
operator-tc-approved = Approved { $request }: test coupon { $coupon } of { $amount } for partner { $partner }.
operator-tc-rejected = Rejected { $request }.

## Real-name authentication (operator_realname.rs)

operator-realname-title = Real-name authentication
operator-realname-intro = Partners apply for their customers with the attachments they uploaded. Approving verifies the account as an individual or an enterprise; rejecting needs an opinion, which the partner reads back. Identity numbers are not shown here.
operator-realname-individual = Individual: { $name } (document type { $document })
operator-realname-enterprise = Enterprise: { $name } (certificate type { $certificate })
operator-realname-enterprise-legal = Enterprise: { $name } (certificate type { $certificate }), legal representative { $legal }
operator-realname-change = Change to enterprise · { $identity }
operator-realname-what = the real-name application of customer { $customer }
operator-realname-caption = Real-name applications waiting for review
operator-realname-col-submitted = Submitted
operator-realname-col-customer = Customer
operator-realname-col-partner = Partner
operator-realname-col-identity = Identity
operator-realname-col-attachments = Attachments
operator-realname-approved = Approved: customer { $customer } is verified.
operator-realname-rejected = Rejected the application of customer { $customer }.

## Discounts: shared words (discounts.rs)

discounts-target-all = All referral customers
discounts-target-customer = Customer { $customer }
discounts-target-order = Order { $order } of customer { $customer }
discounts-kind-general = General
discounts-kind-special = Price adjustment
discounts-off = { $rate } off
discounts-service-type-label = Service type{" "}
discounts-col-service-type = Service type
discounts-col-up-to = Up to
discounts-col-from = From
discounts-col-kind = Kind
discounts-col-discount = Discount

## Discount policies (discounts.rs, the operator's)

discounts-policies-title = Discount policies
discounts-policies-hint = Partner discounts apply only to the service types listed here (A-09); one marked as spot instances, KooGallery or OCSA nodes never takes one, whatever the list says (R-CPN-29).
discounts-col-partner-discounts = Partner discounts
discounts-col-exclusion = Exclusion
discounts-col-incentive = Incentive policy
discounts-apply = Apply
discounts-do-not-apply = Do not apply
discounts-policy-set-title = Set a service type's policy
discounts-policy-allow = {" "}On the list of products partner discounts apply to
discounts-policy-exclusion = Exclusion{" "}
discounts-exclusion-none = None
discounts-exclusion-spot = Spot instances
discounts-exclusion-koogallery = KooGallery products
discounts-exclusion-ocsa = OCSA nodes
discounts-policy-incentive = Incentive policy{" "}
discounts-incentive-non-specific = Non-specific product
discounts-incentive-specific = Specific product
discounts-incentive-no-performance = No performance credit, no rebate
discounts-incentive-performance = Performance credit, no rebate
discounts-policy-set = Set policy
discounts-policy-done = The policy of { $service } is set.

## A partner's discount scopes (discounts.rs, on the operator's partner page)

discounts-scopes-title = Discount scopes
discounts-scopes-hint = The largest discount the partner may give its referral customers, per service type (R-CPN-25, R-CPN-26).
discounts-scopes-none = None authorized: the partner gives no discounts.
discounts-col-authorized-by = Authorized by
discounts-scopes-up-to = Up to, e.g. 0.2 for 20 % off{" "}
discounts-scopes-from = From (RFC 3339, empty for now){" "}
discounts-scopes-authorize = Authorize
discounts-scopes-done = Authorized up to { $rate } off { $service }.

## The partner's discounts (discounts.rs)

discounts-title = Discounts
discounts-hint = Discounts are for referral customers only, per service type, within the scope the operator authorized (R-CPN-25 … R-CPN-27). A referral customer chooses one when it pays an order (R-CPN-33).
discounts-scope-title = Authorized scope
discounts-scope-none = The operator has not authorized you any discount yet.
discounts-yours = Your discounts
discounts-yours-none = None set.
discounts-col-for = For
discounts-col-set = Set
discounts-remove-confirm = Remove this discount?
discounts-remove = Remove
discounts-general-title = Set a general discount
discounts-general-discount = Discount, e.g. 0.1 for 10 % off{" "}
discounts-general-customer = Referral customer id (empty for all your referral customers){" "}
discounts-general-set = Set discount
discounts-special-title = Adjust the price of an order
discounts-special-hint = A special discount on one pending order of a referral customer (discount type 609): the customer must pay with it.
discounts-special-order = Order id{" "}
discounts-special-discount = Discount, e.g. 0.15{" "}
discounts-special-set = Adjust the price
discounts-set-done = { $rate } off { $service } is set.
discounts-removed = The discount is removed.

## The customer's commercial discounts (discounts.rs)

discounts-commercial-title = Commercial discounts
discounts-commercial-hint = Discounts your partner gives you. Choose one when you pay an order on the Orders page.
discounts-commercial-none = You have no partner discount.
discounts-col-applies-to = Applies to
discounts-applies-order = Order { $order }
discounts-applies-yours = Your orders

## Partner programs (programs.rs)

programs-title = Partner programs
programs-enrolled-since = Enrolled · { $tier } since { $since }
programs-hcpn-submitted = submitted, waiting for the automatic check
programs-hcpn-manual-review = in manual review by the operator
programs-hcpn-approved = approved: you are an HCPN partner
programs-hcpn-rejected = rejected: { $reason }
programs-hcpn-title = Huawei Cloud Partner Network (HCPN)
programs-hcpn-enrolled = Your account is a partner: the operator enrolled it in the network.
programs-hcpn-first = Every program needs HCPN membership first.{" "}
programs-hcpn-your-application = Your application:{" "}
programs-hcpn-your-application-end = .
programs-hcpn-not-applied = You have not applied yet.
programs-hcpn-company = Company name
programs-hcpn-country = Country where the company is registered (e.g. SG)
programs-hcpn-address = Address
programs-hcpn-website = Website
programs-hcpn-contact-name = Contact name
programs-hcpn-contact-email = Contact email
programs-hcpn-contact-phone = Contact phone
programs-hcpn-relationship = The company has a relationship with a government official or Huawei employee to declare
programs-hcpn-relationship-description = Describe it (if declared)
programs-hcpn-agreement = I accept the HCPN certification agreement
programs-hcpn-apply = Apply to HCPN
programs-caption = Programs
programs-col-program = Program
programs-col-state = Your state
programs-col-actions = Actions
programs-enrolled = Enrolled
programs-under-review = Under review
programs-rejected = Rejected:{" "}
programs-not-applied = Not applied
programs-the-program = The program
programs-conditions = Conditions and application
programs-certificate = Certificate (PDF)
programs-hcpn-welcome = Welcome to HCPN: your application is approved.
programs-hcpn-submitted-done = Your HCPN application is submitted for review.

## One program (programs.rs)

programs-back = ← Partner programs
programs-in-program = Your account is in this program: { $enrollment }.
programs-eligible = Your account meets every condition of this program.
programs-view-cause = View Cause: { $count } condition(s) not met
programs-apply = Apply
programs-business-area = Business area (country code; your account's country if empty)
programs-accept-agreement = I accept the { $agreement } ({ $rule })
programs-agreement-csp = Huawei Cloud Solution Provider Cooperation Agreement
programs-agreement-anti-bribery = HUAWEI CLOUD Partner Anti-Commercial Bribery Due Diligence Questionnaire
programs-agreement-huawei-id = Statement for HUAWEI ID Association with Huawei Cloud Partner
programs-agreement-distribution = Huawei Cloud Distribution Cooperation Agreement
programs-agreement-carrier = Carrier Partner Cooperation Agreement
programs-apply-to = Apply to { $program }
programs-applied = Your application to { $program } is submitted for review.
programs-refused = The application was refused: see every cause above.
