# The web console in English (en-US). Every id here is in zh-CN/console.ftl too
# (opc-http's unit test `both_catalogues_parse_and_define_the_same_messages`).
# Numbers and amounts come in as arguments, already written (Money::to_display_string).

## The page frame

skip-link = Skip to content
sign-out = Sign out
busy = Working…
language = Language
nav-main = Main
denied-title = Not available
denied-home = Back to your home page
who-operator = { $name } (operator)

## Menus: the partner's, the operator staff's and the customer's

menu-overview = Overview
menu-customers = Customers
menu-development = Customer development
menu-association-records = Association records
menu-bills = Bills
menu-expenditures = Expenditures
menu-discounts = Discounts
menu-cash-coupons = Cash coupons
menu-coupon-quotas = Coupon quotas
menu-test-coupons = Test coupons
menu-programs = Programs
menu-organization = Organization
menu-notices = Notices
menu-audit = Audit log
menu-reviews = Reviews
menu-partners = Partners
menu-coupons = Coupons
menu-stored-value-cards = Stored-value cards
menu-realname = Real-name
menu-my-partner = My Partner
menu-my-bills = My bills
menu-my-coupons = My coupons
menu-orders = Orders
menu-partner-programs = Partner programs

## Gauges

gauge-figures = { $used } of { $limit } ({ $percent } %)

## Signing in and out

sign-in-title = Sign in
sign-in-login = Login ID or email
sign-in-password = Password
sign-in-submit = Sign in
sign-in-new-here = New here? Register through a partner's invitation link, or ask the operator for staff access.
signed-out = You are signed out.

## The partner's overview

overview-title = Overview
overview-account = Account
overview-state = State:{" "}
overview-country = Country:{" "}
state-normal = Normal
state-restricted = Restricted
state-frozen = Frozen
overview-restricted = Your consumption quota is exceeded: you and your reseller customers cannot purchase until the quota is raised (R-QUOTA-07).
overview-frozen = Your account is frozen: so are your customers, and no customer can be developed (R-QUOTA-10).
overview-programs = Programs and tiers
overview-not-enrolled = Not enrolled in a program yet.
overview-see-programs = See the programs
overview-enrollment = { $program } · { $tier } since { $since }
overview-todo = To do
overview-nothing = Nothing waits for you.
overview-near-budget = { $customer }: { $percent } % of its budget used
overview-near-budget-figures = {" "}({ $used } of { $limit })
overview-more-near-budget =
    { $count ->
        [one] { $count } more customer over 75 % of its budget
       *[other] { $count } more customers over 75 % of their budget
    }
overview-asks-to-end = { $customer } asks to end the association: approve or reject
overview-awaiting-exhausted = { $customer }: frozen with its budget used up: raise the budget
overview-awaiting-association = { $customer }: frozen until you set a budget and unfreeze it
overview-awaiting-other = { $customer }: frozen: see its budget
overview-more-awaiting =
    { $count ->
        [one] { $count } more frozen customer awaiting a budget
       *[other] { $count } more frozen customers awaiting a budget
    }
overview-invite = Invite a customer
overview-quota = Consumption quota
overview-quota-gauge = Reseller customers' spend
overview-quota-exceeded = The quota is exceeded: { $percent } % of it is used (R-QUOTA-07).
overview-quota-notice = { $percent } % of the quota is used: its notice comes at 80 % (R-QUOTA-04).
overview-no-quota = No quota is set; spend so far: { $used }.
overview-spend = Your customers' spend
overview-spend-note = At list price, while they were your customers, in both models.

## Charts (console/chart.rs, console/spend.rs): the overview's quota and spend charts

chart-figures = The figures
chart-figures-caption = { $title }: the figures
chart-lines-caption = { $title }: the lines
chart-line = Line
chart-amount = Amount
chart-day = Day
chart-month = Month
chart-spend = Spend
chart-used = Used
chart-spend-days-title = Spend per day this month
chart-spend-months-title = Spend per month
chart-spend-days-desc = { $whose } spend at list price per day from { $first } to { $last }: { $total } in all; the most, { $peak }, on { $at }.
chart-spend-days-desc-none = { $whose } spend at list price per day from { $first } to { $last }: nothing yet.
chart-spend-months-desc = { $whose } spend at list price per month over the last { $count } months: { $total } this month; the most, { $peak }, in { $at }.
chart-spend-months-desc-none = { $whose } spend at list price per month over the last { $count } months: nothing.
overview-spend-whose = Your customers'
chart-quota-title = Quota use over the month
chart-quota-notice-line = Notice (80 %)
chart-quota-line = Quota
chart-quota-desc = Consumption quota of { $quota }: { $used } used ({ $percent } %); the notice comes at 80 %, { $notice }. Only reseller customers' spend moves the line: payments, bills and coupons are counted as they stand today.
# Program certificates (R-CERT-03), as PDF and PNG.
cert-title = Certificate of Partnership
cert-statement = is a { $tier } tier partner in the { $program } program
cert-valid-yearly = Valid from { $from } until { $until } (renewed every January 31)
cert-valid = Valid from { $from } until { $until }
cert-valid-expired = Valid from { $from } until { $until } (expired)
cert-renewal-manual = Renewed by manual re-certification
cert-renewal-reapply = Renewed by re-application to the program
program-csp = Cloud Solution Provider
program-distributor = Distribution Partner
program-reseller = Cloud Reseller
program-koogallery_seller = KooGallery Seller
program-koogallery_sales = KooGallery Sales
program-carrier = Carrier Partner
program-competency = Partner Competency
tier-standard = Standard
tier-advanced = Advanced
tier-premier = Premier
tier-core = Core
# Lists and forms (every page's tables and refused forms).
table-actions = Actions
table-empty = Nothing here yet.
table-pages = Pages of { $caption }
table-rows-of = Rows { $from }–{ $to } of { $total }
table-rows = Rows { $from }–{ $to }
table-previous = Previous
table-next = Next
table-csv = Download CSV
form-problems = { $count } fields need correcting: each says why below.
chart-bars-desc = { $count } bars; the largest, { $label }, is { $amount }.
chart-bars-none = No bars.
chart-budget-title = Budget use over the month
chart-budget-monthly = Monthly budget (this month's spend)
chart-budget-package = Package budget (spend since it was set)
chart-budget-mark = { $line } at { $amount }
chart-budget-desc = { $kind } of { $budget }: { $used } used ({ $percent } %) at the end of { $day }; notices at { $marks }.
chart-today = today
chart-list-separator = ,{" "}
# Pages outside the menus: an address no page has, a refusal outside a form.
plain-back = Back to the console
missing-title = Page not found
missing-message = There is no page at this address. It may have moved, or the link may be mistyped.
# A dedicated-personnel invitation, as the invited person reads it (R-ORG-05, R-ORG-11, R-ORG-13).
personnel-title = Invitation from { $partner }
personnel-intro = { $partner } invites your HUAWEI ID { $account } to associate with it as its dedicated personnel (R-ORG-05).
personnel-valid-until = The link is valid until { $until } (R-ORG-11).
personnel-accept = Accept the invitation
personnel-accepted = You are now dedicated personnel of { $partner }.
personnel-expired = This invitation has expired. Ask { $partner } to invite you again (R-ORG-13).
personnel-associated = You are dedicated personnel of { $partner }.
personnel-cancelled = { $partner } has ended this association.
personnel-causes = The HUAWEI ID cannot be associated, for { $count } reasons
personnel-unknown-title = Invitation not found
personnel-unknown = This link is not an invitation for the account you are signed in with. Sign in with the HUAWEI ID that was invited.
