# 控制台的简体中文：operator 页面。消息 id 与 en-US/operator.ftl 一一对应。

## 价格计算过程（console/trace.rs）：账单与订单页面

discounts-trace-how = 计算过程
discounts-trace-list-price = 目录价
discounts-trace-settlement-rate = 结算折扣（{ $rate }）
discounts-trace-settlement = 结算折扣
discounts-trace-adjustment = 订单改价 { $id }（优惠 { $rate }）
discounts-trace-partner = 伙伴折扣 { $id }（优惠 { $rate }）
discounts-trace-given-back-coupon-order = 因退订 { $order } 退回代金券 { $coupon }，不退给伙伴
discounts-trace-given-back-coupon = 退回代金券 { $coupon }，不退给伙伴
discounts-trace-given-back-coupons-order = 因退订 { $order } 退回代金券，不退给伙伴
discounts-trace-given-back-coupons = 退回代金券，不退给伙伴
discounts-trace-cash-coupon = 代金券
discounts-trace-test-coupon = 测试券
discounts-trace-coupon-named = { $kind } { $coupon }
discounts-trace-cash-coupons = 代金券
discounts-trace-test-coupons = 测试券
discounts-trace-coupon-held = { $coupons }（为订单 { $order } 预留）

## 批准与拒绝待审核事项（operator.rs、operator_coupons.rs、operator_realname.rs）

operator-decision-approve-confirm = 确定批准 { $what }？
operator-decision-approve = 批准
operator-decision-reject-confirm = 确定拒绝 { $what }？
operator-decision-reason-for = 拒绝 { $what } 的原因
operator-decision-reason = 原因
operator-decision-reject = 拒绝

## 审核（operator.rs）

operator-reviews-title = 审核
operator-reviews-queues = 审核队列
operator-queue-hcpn = HCPN 申请
operator-queue-programs = 伙伴计划申请
operator-queue-information = 信息认证
operator-reviews-program-what = { $applicant } 的{ $program }申请
operator-info-business = 企业信息
operator-info-payment = 收款信息
operator-info-business-what = 企业信息
operator-info-payment-what = 收款信息
operator-col-applicant = 申请人
operator-col-program = 伙伴计划
operator-col-business-area = 业务区域
operator-col-submitted = 提交时间
operator-col-partner = 伙伴
operator-col-kind = 类型
operator-col-submitted-data = 提交的信息
operator-col-company = 公司
operator-col-country = 国家或地区
operator-col-contact = 联系人
operator-col-review-reasons = 转人工审核的原因
operator-hcpn-approved = HCPN 申请已批准。
operator-hcpn-rejected = HCPN 申请已拒绝。
operator-program-approved = 伙伴计划申请已批准。
operator-program-rejected = 伙伴计划申请已拒绝。
operator-info-approved = 信息已审核通过。
operator-info-rejected = 信息已驳回。
operator-no-such-information = 没有此类信息。

## 伙伴（operator.rs）

operator-partners-title = 伙伴
operator-partners-name-contains = 名称包含
operator-partners-search = 搜索
operator-partners-enrollment = { $program } · { $tier }
operator-list-separator = 、
operator-col-programs = 伙伴计划
operator-col-state = 状态
operator-col-quota = 消费额度
operator-col-since = 加入时间

## 伙伴详情（operator.rs）

operator-no-partner = 伙伴 { $id } 不存在。
operator-partner-back = ← 伙伴
operator-partner-id = 伙伴 ID
operator-partner-account = 账号
operator-partner-country = 国家或地区
operator-partner-state = 状态
operator-partner-programs = 伙伴计划
operator-partner-quota = 消费额度
operator-partner-quota-gauge = 转售客户的消费
operator-partner-quota-unset = 尚未设置。目前消费：{ $spent }。
operator-partner-quota-field = 额度（0 表示不设额度）
operator-partner-quota-set = 设置额度
operator-partner-balance-title = 账户余额
operator-partner-balance = 余额：
operator-partner-entry = 记账类型{" "}
operator-partner-entry-payment = 收到付款（还款或预付款）
operator-partner-entry-adjustment = 调账（负数表示扣减）
operator-partner-entry-amount = 金额
operator-partner-entry-memo = 备注
operator-partner-entry-record = 记账
operator-partner-no-entries = 暂无收支记录。
operator-ledger-when = 时间
operator-ledger-entry = 类型
operator-ledger-amount = 金额
operator-ledger-balance-after = 记账后余额
operator-ledger-memo = 备注
operator-entry-payment = 付款
operator-entry-adjustment = 调账
operator-entry-bill-deduction = 账单扣款
operator-entry-allocation = 划拨
operator-entry-reclaim = 回收
operator-entry-unbind = 解除关联时退回
operator-partner-latest-entries = 共 { $count } 条记录，显示最近 10 条。
operator-partner-freeze-title = 冻结
operator-partner-unfreeze-confirm = 确定解冻该伙伴及其客户？
operator-partner-unfreeze = 解冻伙伴
operator-partner-freeze-hint = 冻结伙伴会同时冻结其客户；冻结分销商还会冻结其经销商及经销商的客户（R-QUOTA-10、R-DIST-05）。
operator-partner-freeze-confirm = 确定冻结该伙伴及其所有客户？
operator-partner-freeze = 冻结伙伴
operator-quota-set-done = 消费额度已设置。
operator-balance-recorded = 已记账。当前余额：{ $balance }。
operator-no-such-change = 没有此操作。
operator-partner-now-normal = 该伙伴已恢复正常。
operator-partner-now-restricted = 该伙伴现已受限。
operator-partner-now-frozen = 该伙伴已冻结。

## 账单（operator_bills.rs）

operator-bills-title = 账单
operator-bills-phase-customers = 正在生成客户账单
operator-bills-phase-partners = 正在生成伙伴账单
operator-bills-phase-done = 已完成
operator-bills-runs = 出账任务
operator-bills-col-month = 月份
operator-bills-col-state = 状态
operator-bills-col-customers = 已出账客户数
operator-bills-col-partners = 已出账伙伴数
operator-bills-col-started = 开始时间
operator-bills-col-finished = 完成时间
operator-bills-owed = 应付金额
operator-bills-col-partner = 伙伴
operator-bills-col-due = 应付金额
operator-bills-col-arrears = 欠费金额
operator-bills-col-unpaid = 未付账单数
operator-bills-close = 手动出账
operator-bills-close-hint = 服务器会在每月的出账时间自动出账（默认为计费时区每月 5 日 12:00）。手动出账执行的是同样的出账任务；已出账的月份不会有任何变化。
operator-bills-month = 月份（YYYY-MM）
operator-bills-run = 执行出账
operator-bills-run-started = { $month } 的出账任务已开始。
operator-bills-tax = 销项税
operator-bills-tax-hint = 在伙伴账单上单独列示，不计入应付金额。
operator-bills-tax-country = 国家或地区（ISO 代码）
operator-bills-tax-rate = 税率，例如 0.09
operator-bills-tax-set = 设置税率
operator-bills-tax-done = 税率已设置。

## 伙伴的结算折扣（operator_bills.rs，显示在伙伴详情页）

operator-settlement-title = 结算折扣
operator-settlement-hint = 伙伴为其转售客户的消费应付的金额为目录价减去此折扣（R-BILL-01）。
operator-settlement-none = 未设置：伙伴按目录价结算。
operator-settlement-col-from = 起始月份
operator-settlement-col-default = 默认折扣
operator-settlement-col-by-service = 按服务类型
operator-settlement-from = 起始月份（YYYY-MM）{" "}
operator-settlement-default = 默认折扣，例如 0.15{" "}
operator-settlement-services = 按服务类型设置，每行一个：hws.service.type.ec2=0.2{" "}
operator-settlement-set = 设置折扣
operator-settlement-done = 结算折扣已设置。

## 代金券（operator_coupons.rs）

operator-coupons-title = 代金券
operator-coupons-intro = 为伙伴发放代金券额度（伙伴用它向转售客户发放代金券，或将额度分配给其经销商），以及伙伴自己用于支付账单的代金券（R-CPN-01、R-CPN-03）。金额精确到分；日期为 UTC 日期，不含截止日。
operator-coupons-grant = 发放代金券额度
operator-coupons-grant-partner = 额度持有伙伴的 ID
operator-coupons-grant-value = 额度金额（USD）
operator-coupons-grant-from = 额度生效日期（YYYY-MM-DD；留空表示立即生效）
operator-coupons-grant-until = 额度截止日期（YYYY-MM-DD，不含当日）
operator-coupons-grant-types = 额度适用的云服务类型，以逗号分隔（留空表示不限）
operator-coupons-grant-remark = 备注
operator-coupons-grant-submit = 发放额度
operator-coupons-give = 发放代金券
operator-coupons-partner-id = 伙伴 ID
operator-coupons-give-customer = 仅限一个转售客户（填写其 ID；留空表示该伙伴的所有转售客户）
operator-coupons-give-value = 面值（USD）
operator-coupons-give-from = 生效日期（YYYY-MM-DD；留空表示立即生效）
operator-coupons-give-until = 截止日期（YYYY-MM-DD，不含当日）
operator-coupons-give-types = 适用的云服务类型，以逗号分隔（留空表示不限）
operator-coupons-give-mode = 可抵扣的计费模式：period（包年/包月）或 on_demand（按需计费）；留空表示两者均可
operator-coupons-give-share = 使用比例上限：每条账单明细最多可抵扣的比例，例如 0.5（留空表示不限）
operator-coupons-give-memo = 备注
operator-coupons-give-submit = 发放代金券
operator-coupons-convert = 转换伙伴的代金券额度
operator-coupons-convert-hint = 伙伴每个可用额度的剩余部分将转换为该伙伴的代金券，适用于其所有转售客户，并沿用额度的使用限制和截止日期；额度的历史记录中会显示此次转换（R-CPN-05）。须在伙伴上月账单生成后操作。
operator-coupons-convert-submit = 转换额度
operator-coupons-granted = 已向伙伴 { $partner } 发放代金券额度 { $quota }，金额 { $amount }。
operator-coupons-nothing-to-convert = 伙伴 { $partner } 没有可转换的额度余额。
operator-coupons-converted = 已将伙伴 { $partner } 的额度 { $amount } 转换为代金券 { $coupons }。
operator-coupons-given = 已向伙伴 { $partner } 发放代金券 { $coupon }，面值 { $amount }。

## 测试券申请（operator_coupons.rs）

operator-tc-title = 测试券申请
operator-tc-intro = 批准申请即发放测试券，自即日起在申请的天数内有效：适用于该伙伴的所有转售客户，或仅适用于项目的客户（R-CPN-16）。拒绝须填写原因，并释放伙伴限额中的相应金额。
operator-tc-queue-pending = 待审核
operator-tc-queue-all = 全部申请
operator-tc-all-customers = 所有转售客户
operator-tc-project = 客户 { $customer } 的项目：{ $background }（预计 { $date } 下单，金额 { $amount }）
operator-tc-pending = 待审核
operator-tc-approved-status = { $at } 由 { $by } 批准 · 测试券 { $coupon }
operator-tc-rejected-status = { $at } 由 { $by } 拒绝：{ $reason }
operator-tc-price-list = 价格清单
operator-tc-what = { $partner } 的 { $amount } 测试券申请
operator-tc-caption-pending = 待审核的测试券申请
operator-tc-caption-all = 测试券申请
operator-tc-col-requested = 申请时间
operator-tc-col-partner = 伙伴
operator-tc-col-amount = 金额
operator-tc-col-for = 适用对象
operator-tc-col-days = 天数
operator-tc-col-resource = 资源配置
operator-tc-col-purpose = 用途
operator-tc-col-status = 状态
operator-tc-project-title = 代伙伴提交项目申请
operator-tc-project-hint = 代表伙伴为其某个转售客户申请（R-CPN-20、R-CPN-21）；不占用其级别的限额。
operator-tc-customer-id = 客户 ID
operator-tc-amount = 金额（USD）
operator-tc-resource = 资源配置：价格计算器的分享链接
operator-tc-purpose = 用途
operator-tc-days = 测试天数（默认 30 天）
operator-tc-background = 项目背景
operator-tc-order-date = 预计下单日期（YYYY-MM-DD）
operator-tc-order-amount = 预计下单金额（USD）
operator-tc-project-submit = 提交申请
operator-tc-filed = 已为伙伴 { $partner } 提交申请 { $request }，金额 { $amount }；请在下方批准。
operator-tc-approved = 已批准 { $request }：已为伙伴 { $partner } 发放测试券 { $coupon }，面值 { $amount }。
operator-tc-rejected = 已拒绝 { $request }。

## 实名认证（operator_realname.rs）

operator-realname-title = 实名认证
operator-realname-intro = 伙伴使用已上传的附件为其客户提交申请。批准后，该账号即通过个人或企业实名认证；拒绝须填写审核意见，伙伴可以查看。此处不显示证件号码。
operator-realname-individual = 个人：{ $name }（证件类型 { $document }）
operator-realname-enterprise = 企业：{ $name }（证件类型 { $certificate }）
operator-realname-enterprise-legal = 企业：{ $name }（证件类型 { $certificate }），法定代表人 { $legal }
operator-realname-change = 变更为企业认证 · { $identity }
operator-realname-what = 客户 { $customer } 的实名认证申请
operator-realname-caption = 待审核的实名认证申请
operator-realname-col-submitted = 提交时间
operator-realname-col-customer = 客户
operator-realname-col-partner = 伙伴
operator-realname-col-identity = 身份信息
operator-realname-col-attachments = 附件
operator-realname-approved = 已批准：客户 { $customer } 已通过实名认证。
operator-realname-rejected = 已驳回客户 { $customer } 的申请。

## 折扣：通用词（discounts.rs）

discounts-target-all = 所有推荐客户
discounts-target-customer = 客户 { $customer }
discounts-target-order = 客户 { $customer } 的订单 { $order }
discounts-kind-general = 通用折扣
discounts-kind-special = 订单改价
discounts-off = 优惠 { $rate }
discounts-service-type-label = 服务类型{" "}
discounts-col-service-type = 服务类型
discounts-col-up-to = 最高优惠
discounts-col-from = 生效时间
discounts-col-kind = 类型
discounts-col-discount = 折扣

## 折扣策略（discounts.rs，运营人员）

discounts-policies-title = 折扣策略
discounts-policies-hint = 伙伴折扣仅适用于此处列出的服务类型（A-09）；标记为竞价实例、云商店（KooGallery）产品或 OCSA 节点的服务类型，无论是否在列表中，都不能使用伙伴折扣（R-CPN-29）。
discounts-col-partner-discounts = 伙伴折扣
discounts-col-exclusion = 排除类别
discounts-col-incentive = 激励策略
discounts-apply = 适用
discounts-do-not-apply = 不适用
discounts-policy-set-title = 设置服务类型的策略
discounts-policy-allow = {" "}列入伙伴折扣适用的产品清单
discounts-policy-exclusion = 排除类别{" "}
discounts-exclusion-none = 无
discounts-exclusion-spot = 竞价实例
discounts-exclusion-koogallery = 云商店（KooGallery）产品
discounts-exclusion-ocsa = OCSA 节点
discounts-policy-incentive = 激励策略{" "}
discounts-incentive-non-specific = 非指定产品
discounts-incentive-specific = 指定产品
discounts-incentive-no-performance = 不计业绩，无返利
discounts-incentive-performance = 计业绩，无返利
discounts-policy-set = 设置策略
discounts-policy-done = { $service } 的策略已设置。

## 伙伴的折扣授权范围（discounts.rs，运营人员的伙伴详情页）

discounts-scopes-title = 折扣授权范围
discounts-scopes-hint = 伙伴可给予其推荐客户的最高折扣，按服务类型设置（R-CPN-25、R-CPN-26）。
discounts-scopes-none = 尚未授权：该伙伴不能给予折扣。
discounts-col-authorized-by = 授权人
discounts-scopes-up-to = 最高优惠，例如 0.2 表示优惠 20 %{" "}
discounts-scopes-from = 生效时间（RFC 3339 格式，留空表示立即生效）{" "}
discounts-scopes-authorize = 授权
discounts-scopes-done = 已授权 { $service } 最高优惠 { $rate }。

## 伙伴的折扣（discounts.rs）

discounts-title = 折扣
discounts-hint = 折扣仅适用于推荐客户，按服务类型设置，且不得超出运营方授权的范围（R-CPN-25 … R-CPN-27）。推荐客户在支付订单时选择使用（R-CPN-33）。
discounts-scope-title = 授权范围
discounts-scope-none = 运营方尚未向您授权任何折扣。
discounts-yours = 您的折扣
discounts-yours-none = 尚未设置。
discounts-col-for = 适用对象
discounts-col-set = 设置时间
discounts-remove-confirm = 确定删除此折扣？
discounts-remove = 删除
discounts-general-title = 设置通用折扣
discounts-general-discount = 折扣，例如 0.1 表示优惠 10 %{" "}
discounts-general-customer = 推荐客户 ID（留空表示您的所有推荐客户）{" "}
discounts-general-set = 设置折扣
discounts-special-title = 订单改价
discounts-special-hint = 针对推荐客户某个待支付订单的特殊折扣（折扣类型 609）：客户支付时必须使用该折扣。
discounts-special-order = 订单 ID{" "}
discounts-special-discount = 折扣，例如 0.15{" "}
discounts-special-set = 改价
discounts-set-done = 已为 { $service } 设置优惠 { $rate }。
discounts-removed = 折扣已删除。

## 客户的商务折扣（discounts.rs）

discounts-commercial-title = 商务折扣
discounts-commercial-hint = 您的伙伴给予您的折扣。在“订单”页面支付订单时选择使用。
discounts-commercial-none = 您没有伙伴折扣。
discounts-col-applies-to = 适用范围
discounts-applies-order = 订单 { $order }
discounts-applies-yours = 您的订单

## 伙伴计划（programs.rs）

programs-title = 伙伴计划
programs-enrolled-since = 已加入 · { $tier }，自 { $since } 起
programs-hcpn-submitted = 已提交，等待自动检查
programs-hcpn-manual-review = 运营方人工审核中
programs-hcpn-approved = 已批准：您已是 HCPN 伙伴
programs-hcpn-rejected = 已拒绝：{ $reason }
programs-hcpn-title = 华为云伙伴网络（HCPN）
programs-hcpn-enrolled = 您的账号已是伙伴：运营方已将其加入伙伴网络。
programs-hcpn-first = 加入任何伙伴计划都须先成为 HCPN 成员。
programs-hcpn-your-application = 您的申请：
programs-hcpn-your-application-end = 。
programs-hcpn-not-applied = 您尚未申请。
programs-hcpn-company = 公司名称
programs-hcpn-country = 公司注册所在的国家或地区（例如 SG）
programs-hcpn-address = 地址
programs-hcpn-website = 网站
programs-hcpn-contact-name = 联系人姓名
programs-hcpn-contact-email = 联系人邮箱
programs-hcpn-contact-phone = 联系人电话
programs-hcpn-relationship = 公司与政府官员或华为员工存在需要申报的关系
programs-hcpn-relationship-description = 关系说明（如有申报）
programs-hcpn-agreement = 我接受 HCPN 认证协议
programs-hcpn-apply = 申请加入 HCPN
programs-caption = 伙伴计划
programs-col-program = 计划
programs-col-state = 您的状态
programs-col-actions = 操作
programs-enrolled = 已加入
programs-under-review = 审核中
programs-rejected = 已拒绝：
programs-not-applied = 未申请
programs-the-program = 计划详情
programs-conditions = 条件与申请
programs-certificate = 证书（PDF）
programs-hcpn-welcome = 欢迎加入 HCPN：您的申请已获批准。
programs-hcpn-submitted-done = 您的 HCPN 申请已提交审核。

## 单个伙伴计划（programs.rs）

programs-back = ← 伙伴计划
programs-in-program = 您的账号已加入此计划：{ $enrollment }。
programs-eligible = 您的账号满足此计划的所有条件。
programs-view-cause = 查看原因：{ $count } 项条件未满足
programs-apply = 申请
programs-business-area = 业务区域（国家或地区代码；留空则为您账号所在的国家或地区）
programs-accept-agreement = 我接受{ $agreement }（{ $rule }）
programs-agreement-csp = 《华为云解决方案提供商合作协议》
programs-agreement-anti-bribery = 《华为云伙伴反商业贿赂尽职调查问卷》
programs-agreement-huawei-id = 《华为帐号与华为云伙伴关联声明》
programs-agreement-distribution = 《华为云分销合作协议》
programs-agreement-carrier = 《运营商伙伴合作协议》
programs-apply-to = 申请加入{ $program }
programs-applied = 您加入{ $program }的申请已提交审核。
programs-refused = 申请未通过：请查看上方列出的所有原因。
