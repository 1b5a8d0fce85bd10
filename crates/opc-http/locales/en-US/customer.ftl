# English words of the console: customer pages. Ids are shared with zh-CN/customer.ftl.

## Failing precautions (console/customer.rs, also the programs' page)

customer-causes-rule = ({ $rule })
customer-causes-fix = Fix: { $fix }

## Invitation: register or sign in to accept (console/customer.rs)

invite-title = Invitation
invite-not-found = Invitation not found
invite-causes-title = The account cannot be associated yet
invite-see-causes = See every cause below.
invite-heading = { $partner } invites you
invite-associate-before = Associate your cloud account with{" "}
invite-associate-middle = {" "}in the{" "}
invite-associate-after = {" "}model.
invite-model-reseller = reseller
invite-model-referral = referral
invite-reseller-note = In this model your partner pays for what you use and controls your spending: your account is frozen until your partner sets a budget and unfreezes it.
invite-valid-until = This invitation is valid until { $at }.
invite-consent-instructions-before = I accept the{" "}
invite-consent-instructions-doc = Instructions for Associating with a Huawei Cloud Partner
invite-consent-instructions-after = {" "}(required in the reseller model: my partner pays for my resources, sets my budget and may freeze my account)
invite-consent-letter-before = I grant the optional{" "}
invite-consent-letter-doc = Customer Authorization Letter
invite-consent-letter-after = {" "}(my partner may place orders and manage resources for me)
invite-accept-as = Accept as { $name }
invite-consent-agreement-enable = I accept the Customer Agreement (to enable cloud services, if they are not yet)
invite-accept-submit = Accept the invitation
invite-register-heading = Register and accept
invite-country = Country or region (two letters, e.g. SG)
invite-email = Email
invite-send-code = Send verification code
invite-code = Verification code (from the email)
invite-password = Password
invite-password-confirm = Confirm the password
invite-consent-id = I accept the HUAWEI ID User Agreement
invite-consent-privacy = I accept the Statement About HUAWEI ID and Privacy
invite-consent-customer = I accept the Customer Agreement and Privacy Statement
invite-register-submit = Register and associate
invite-have-account = Already have an account?{" "}
invite-sign-in = Sign in to accept
invite-sign-in-note = {" "}(an existing account can accept only an emailed invitation).
invite-code-sent = A verification code is on its way to { $email }.
invite-associated-reseller-frozen = You are associated in the reseller model. Your account is frozen until your partner sets a budget and unfreezes it.
invite-associated-reseller = You are associated in the reseller model.
invite-associated-referral = You are associated in the referral model.

## My Partner: the association and its disassociation request (console/customer.rs)

customer-partner-title = My Partner
customer-frozen = Your account is frozen ({ $scope }) since { $since }: { $cause }
customer-frozen-scope-account = account only
customer-frozen-scope-resources = account and resources
customer-frozen-cause-reseller = your partner pays for your resources and unfreezes your account once it sets your budget (R-RCM-02).
customer-frozen-cause-partner = your partner froze it (R-RCM-10); ask your partner to unfreeze it.
customer-frozen-cause-partner-frozen = your partner's own account is frozen, and its customers with it (R-QUOTA-10).
customer-frozen-cause-budget = your budget for this period is used up; your partner can raise it (R-RCM-04).
customer-frozen-reason = {" "}The reason your partner gave: “{ $reason }”.
customer-partner-none = You are not associated with a partner. A partner's invitation link brings you here.
customer-partner-name = Partner
customer-partner-country = Country
customer-partner-model = Model
customer-model-reseller = Reseller
customer-model-referral = Referral
customer-partner-since = Associated since
customer-partner-asks = Your partner asks to end the association
customer-partner-reason = Reason: { $reason }
customer-partner-agree-confirm = End the association with your partner?
customer-partner-agree = Agree
customer-partner-refuse = Refuse
customer-partner-waiting = Your disassociation request is waiting for your partner's decision.
customer-partner-request-confirm = Ask your partner to end the association?
customer-partner-request = Request disassociation
customer-partner-request-reason = Reason
customer-partner-request-sent = Your request is sent to your partner.
customer-partner-ended = The association has ended.
customer-partner-stays = You stay associated.

## My bills (console/customer.rs)

customer-bills-title = My bills
customer-bills-spend = My spend
customer-bills-budget = The budget your partner granted you (R-RCM-03), and its use over the month.
customer-bills-whose = Your
customer-bills-none = No month has been billed yet.
customer-bills-total = Total
customer-bills-you-pay = you pay this bill
customer-bills-partner-pays = paid by your partner: you owe nothing for it
customer-bills-service-type = Service type
customer-bills-mode = Billing mode
customer-bills-amount = Amount

## My coupons (console/customer.rs); the CSV export keeps the English words

customer-coupons-title = My coupons
customer-coupons-note = Coupons your partner issued for you pay for your spend on your partner's bill; you pay nothing with them yourself.
customer-coupons-caption = Coupons issued for you
customer-coupons-col-coupon = Coupon
customer-coupons-col-kind = Kind
customer-coupons-col-balance = Balance (USD)
customer-coupons-col-face = Face value
customer-coupons-col-from = Valid from
customer-coupons-col-to = Valid to
customer-coupons-col-types = Service types
customer-coupons-col-remarks = Remarks
customer-coupons-col-status = Status
customer-coupons-cash = Cash coupon
customer-coupons-test = Test coupon
customer-coupons-any = Any

## Orders and resources (console/orders.rs); the CSV export keeps the English words

orders-title = Orders
orders-heading = Orders and resources
orders-status-pending = Pending payment
orders-status-cancelled = Cancelled
orders-status-completed = Completed
orders-type-new = New purchase
orders-type-renewal = Renewal
orders-type-unsubscription = Unsubscription
orders-resource-in-use = In use
orders-resource-closed = Closed
orders-resource-frozen = Frozen
orders-resource-expired = Expired
orders-col-order = Order
orders-col-type = Type
orders-col-status = Status
orders-col-price = List price
orders-col-placed = Placed
orders-letter = Customer authorization letter
orders-letter-accepted = Your partner may order and manage resources on your behalf (accepted { $at }).
orders-letter-withdraw-confirm = Withdraw your partner's authorization?
orders-letter-withdraw = Withdraw
orders-letter-missing = Your partner cannot order or manage resources on your behalf until you accept the letter (R-RCM-14).
orders-letter-accept = Accept the letter
orders-letter-granted = Your partner may now order and manage resources on your behalf.
orders-letter-withdrawn = Your partner's authorization is withdrawn.
orders-blocked = You cannot buy, renew or pay now: { $why }.
orders-nothing-for-sale = Nothing is for sale by the year or month yet.
orders-buy = Buy
orders-buy-offering = Product and term
orders-buy-quantity = Quantity
orders-buy-submit = Place the order
orders-offering = { $name }, { $region }, { $term }: { $price }
orders-term-months = { $count ->
    [one] { $count } month
   *[other] { $count } months
}
orders-term-years = { $count ->
    [one] { $count } year
   *[other] { $count } years
}
orders-placed = Order { $order } placed: { $amount }, pending payment.
orders-pay-card = Stored-value card
orders-pay-no-card = No card
orders-pay-card-option = { $name } ({ $id }): { $balance } left, valid until { $until }
orders-pay-coupon = Cash coupon
orders-pay-coupon-option = { $id }: { $balance } left, valid until { $until }
orders-pay-no-coupon = No coupon
orders-pay-discount = Partner discount
orders-pay-price-adjustment = Price adjustment
orders-pay-discount-option = { $kind }: { $percent } off { $service }, { $saving } less
orders-pay-no-discount = No discount
orders-pay-confirm-before = I confirm paying{" "}
orders-pay-confirm-after = {" "}(list price; a discount, coupon or card chosen takes its part)
orders-pay = Pay { $amount }
orders-cancel-confirm = Cancel this order?
orders-cancel = Cancel
orders-paid = Order { $order } is paid.
orders-cancelled = Order { $order } is cancelled.
orders-trace-due = Amount due
orders-trace-coupon = Cash coupon { $coupon }: { $state }
orders-trace-held = held for this order until the partner's bill of { $month } deducts it
orders-trace-paid = paid { $amount } of it with the partner's bill of { $month }
orders-trace-released = freed unused: the order's term was unsubscribed before it began
orders-resources = Yearly/monthly resources
orders-resources-none = None yet.
orders-col-resource = Resource
orders-col-product = Product
orders-col-expires = Expires
orders-part-of = {" "}(part of { $parent })
orders-renew-confirm-before = I confirm paying{" "}
orders-renew-confirm-after = {" "}now for a month more
orders-renew = Renew a month ({ $rate })
orders-unsubscribe-confirm = Unsubscribe this resource? Its unused time is refunded and it stops.
orders-unsubscribe = Unsubscribe
orders-renewed = Resource { $resource } is renewed for a month.
orders-unsubscribed = Resource { $resource } is unsubscribed; its unused time is refunded.

## Resource packages, on the Orders page and the partner's customer page (console/packages.rs)

orders-packages = Resource packages
orders-packages-col-package = Package
orders-packages-col-covers = Covers
orders-packages-col-remaining = Remaining
orders-packages-col-status = Status
orders-packages-col-term = Term
orders-packages-covers = { $usage } of { $resource }, { $region }
orders-packages-remaining = { $left } of { $total }
orders-packages-remaining-month = { $left } of { $total } this month
orders-package-not-yet-effective = Not yet effective
orders-package-in-effect = In effect
orders-package-used-up = Used up
orders-package-expired = Expired
orders-package-unsubscribed = Unsubscribed

## Stored-value cards: the customer's and the operator's (console/stored_value.rs); the CSV export keeps the English words

funds-title = Stored-value cards
funds-my-caption = Your stored-value cards
funds-col-card = Card
funds-col-name = Name
funds-col-customer = Customer
funds-col-balance = Balance (USD)
funds-col-face = Face value
funds-col-from = Valid from
funds-col-to = Valid to
funds-col-status = Status
funds-usable = Usable
funds-used-up = Used up
funds-my-note = A stored-value card is money you paid in advance. Choose one when you pay an order on the Orders page: it pays what it can of the amount due (after your partner's discount), the rest is paid as usual. Payments for and with cards are not your partner's revenue.
funds-operator-note = Record a stored-value card a customer bought: its balance starts at the face value and pays that customer's orders. Not for reseller customers, whose orders their partner's bill pays. Amounts are in whole cents; dates are UTC days, the end excluded.
funds-record = Record a card
funds-customer-id = Customer ID
funds-card-name = Card name
funds-face-value = Face value (USD)
funds-valid-from = Valid from (YYYY-MM-DD; empty: now)
funds-valid-until = Valid until (YYYY-MM-DD, excluded)
funds-record-submit = Record the card
funds-recorded = Recorded stored-value card { $card } of { $amount } for customer { $customer }.

## The partner's notices: email recipients and webhook (console/notices.rs)

notices-title = Notices
notices-intro = Budget notices at 75, 90 and 100 % of a reseller customer's budget, and consumption-quota notices at 80 % and when it is used up (R-RCM-04, R-QUOTA-04).
notices-recipients = Email recipients
notices-emails = Emails, separated by commas
notices-save = Save recipients
notices-saved = Notices go to { $emails }.
notices-webhook = Webhook
notices-secret-once = Copy the signing secret now: it is shown only this once.
notices-copy-secret = Copy secret
notices-webhook-note = Each notice is also POSTed as JSON to this URL, signed in the header X-OPC-Signature (sha256= and the HMAC-SHA256 of the body under the secret). A failed delivery is tried eight times in about an hour (30 s, then twice as long each time).
notices-webhook-now = Now:
notices-webhook-url = Webhook URL
notices-webhook-replace = Replace the webhook and its secret
notices-webhook-set = Set the webhook
notices-webhook-remove-confirm = Remove the webhook? Notices go by email only.
notices-webhook-remove = Remove the webhook
notices-webhook-removed = The webhook is removed: notices go by email only.

## Real-name authentication by QR code, without sign-in (console/realname_scan.rs)

scan-title = Real-name authentication
scan-for-before = For the cloud account{" "}
scan-for-after = {" "}({ $account }).{" "}
scan-once = This page can be sent once, until { $until }.
scan-no-face = Face recognition is not available here. Give your identity document and its photos instead: the cloud provider's staff review them, the photo of you holding the document standing in for the face check. Your account shows the result once it is reviewed.
scan-document = Identity document
scan-doc-passport = Passport
scan-doc-hk-macao-permit = Mainland Travel Permit for Hong Kong and Macao Residents
scan-doc-taiwan-permit = Mainland Travel Permit for Taiwan Residents
scan-doc-hk-macao-residence = Residence Permit for Hong Kong and Macao Residents
scan-doc-taiwan-residence = Residence Permit for Taiwan Residents
scan-name = Name as on the document
scan-number = Document number
scan-photos-note = Photos, in this order: a passport's data page, then the data page held in your hand (2); a permit's front, back, then its front held in your hand (3). JPG, PNG, BMP, GIF or PDF, at most 10 MB each.
scan-photo = Photo { $n }
scan-submit = Submit for review
scan-unusable = QR code not usable
scan-refused = Refused
scan-other-site = The form was sent from another site.
scan-unreadable = The form could not be read; send it again.
scan-unexpected-field = The form has an unexpected field { $name }.
scan-choose-document = Choose the identity document.
scan-submitted = Submitted
scan-under-review = Your real-name authentication is under review. You can close this page.
