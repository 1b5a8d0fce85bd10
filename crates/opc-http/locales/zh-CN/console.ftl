# 控制台的简体中文（zh-CN）。每个消息 id 都与 en-US/console.ftl 一一对应
# （opc-http 的单元测试 `both_catalogues_parse_and_define_the_same_messages`）。
# 数字与金额作为参数传入，已按统一格式写好（Money::to_display_string），不做翻译。

## 页面框架

skip-link = 跳到正文
sign-out = 退出登录
busy = 处理中…
language = 语言
nav-main = 主菜单
denied-title = 无法访问
denied-home = 返回首页
who-operator = { $name }（运营人员）

## 菜单：伙伴、运营人员与客户

menu-overview = 概览
menu-customers = 客户
menu-development = 客户拓展
menu-association-records = 关联记录
menu-bills = 账单
menu-expenditures = 消费明细
menu-discounts = 折扣
menu-cash-coupons = 代金券
menu-coupon-quotas = 代金券额度
menu-test-coupons = 测试券
menu-programs = 伙伴计划
menu-organization = 组织
menu-notices = 通知
menu-audit = 审计日志
menu-reviews = 审核
menu-partners = 伙伴
menu-coupons = 代金券
menu-stored-value-cards = 储值卡
menu-realname = 实名认证
menu-my-partner = 我的伙伴
menu-my-bills = 我的账单
menu-my-coupons = 我的代金券
menu-orders = 订单
menu-partner-programs = 伙伴计划

## 用量表

gauge-figures = { $used } / { $limit }（{ $percent } %）

## 登录与退出

sign-in-title = 登录
sign-in-login = 登录 ID 或邮箱
sign-in-password = 密码
sign-in-submit = 登录
sign-in-new-here = 新用户？请通过伙伴发送的邀请链接注册；运营人员账号请向运营方申请。
signed-out = 您已退出登录。

## 伙伴概览

overview-title = 概览
overview-account = 账号
overview-state = 状态：
overview-country = 国家或地区：
state-normal = 正常
state-restricted = 受限
state-frozen = 已冻结
overview-restricted = 您的消费额度已超出：在额度提高之前，您和您的转售客户都无法购买（R-QUOTA-07）。
overview-frozen = 您的账号已被冻结：您的客户也随之冻结，且无法拓展新客户（R-QUOTA-10）。
overview-programs = 伙伴计划与级别
overview-not-enrolled = 尚未加入任何伙伴计划。
overview-see-programs = 查看伙伴计划
overview-enrollment = { $program } · { $tier }，自 { $since } 起
overview-todo = 待办
overview-nothing = 暂无待办事项。
overview-near-budget = { $customer }：已使用预算的 { $percent } %
overview-near-budget-figures = （{ $used } / { $limit }）
overview-more-near-budget = 另有 { $count } 个客户的预算使用超过 75 %
overview-asks-to-end = { $customer } 申请解除关联：请批准或拒绝
overview-awaiting-exhausted = { $customer }：预算已用完而被冻结，请提高预算
overview-awaiting-association = { $customer }：已冻结，待您设置预算并解冻
overview-awaiting-other = { $customer }：已冻结，请查看其预算
overview-more-awaiting = 另有 { $count } 个已冻结客户等待设置预算
overview-invite = 邀请客户
overview-quota = 消费额度
overview-quota-gauge = 转售客户的消费
overview-quota-exceeded = 额度已超出：已使用 { $percent } %（R-QUOTA-07）。
overview-quota-notice = 额度已使用 { $percent } %：达到 80 % 时会发送通知（R-QUOTA-04）。
overview-no-quota = 尚未设置额度；目前消费：{ $used }。
overview-spend = 您的客户的消费
overview-spend-note = 按目录价计算，仅计入其作为您客户期间的消费，包含两种模式。

## 图表（console/chart.rs、console/spend.rs）：概览的额度与消费图表

chart-figures = 数据
chart-figures-caption = { $title }：数据
chart-lines-caption = { $title }：参考线
chart-line = 参考线
chart-amount = 金额
chart-day = 日期
chart-month = 月份
chart-spend = 消费
chart-used = 已用
chart-spend-days-title = 本月每日消费
chart-spend-months-title = 每月消费
chart-spend-days-desc = { $whose }按目录价计算的每日消费，{ $first } 至 { $last }：合计 { $total }；最高为 { $peak }，在 { $at }。
chart-spend-days-desc-none = { $whose }按目录价计算的每日消费，{ $first } 至 { $last }：暂无消费。
chart-spend-months-desc = { $whose }按目录价计算的近 { $count } 个月每月消费：本月 { $total }；最高为 { $peak }，在 { $at }。
chart-spend-months-desc-none = { $whose }按目录价计算的近 { $count } 个月每月消费：暂无。
overview-spend-whose = 您的客户
chart-quota-title = 本月额度使用情况
chart-quota-notice-line = 通知线（80 %）
chart-quota-line = 额度
chart-quota-desc = 消费额度 { $quota }：已使用 { $used }（{ $percent } %）；达到 80 %（{ $notice }）时发送通知。只有转售客户的消费会推高此线：付款、账单和代金券按当前状态计入。
# 伙伴计划证书（R-CERT-03），PDF 与 PNG。
cert-title = 合作伙伴证书
cert-statement = 是{ $program }计划的{ $tier }级合作伙伴
cert-valid-yearly = 有效期：{ $from } 至 { $until }（每年 1 月 31 日续期）
cert-valid = 有效期：{ $from } 至 { $until }
cert-valid-expired = 有效期：{ $from } 至 { $until }（已过期）
cert-renewal-manual = 续期方式：人工重新认证
cert-renewal-reapply = 续期方式：重新申请加入计划
program-csp = 解决方案提供商（CSP）
program-distributor = 分销商（Distribution Partner）
program-reseller = 云经销商（Cloud Reseller）
program-koogallery_seller = 云商店商家（KooGallery Seller）
program-koogallery_sales = 云商店销售伙伴（KooGallery Sales）
program-carrier = 运营商伙伴（Carrier Partner）
program-competency = 伙伴能力认证（Partner Competency）
tier-standard = 标准
tier-advanced = 高级
tier-premier = 精英
tier-core = 核心
# 列表与表单（各页面的表格和被退回的表单）。
table-actions = 操作
table-empty = 暂无数据。
table-pages = { $caption }的分页
table-rows-of = 第 { $from }–{ $to } 行，共 { $total } 行
table-rows = 第 { $from }–{ $to } 行
table-previous = 上一页
table-next = 下一页
table-csv = 下载 CSV
form-problems = 有 { $count } 个字段需要修改：原因见各字段下方。
chart-bars-desc = 共 { $count } 项；最大的是 { $label }，为 { $amount }。
chart-bars-none = 无数据。
chart-budget-title = 本月预算使用情况
chart-budget-monthly = 月度预算（本月消费）
chart-budget-package = 套餐预算（设置以来的消费）
chart-budget-mark = { $line }：{ $amount }
chart-budget-desc = { $kind } { $budget }：截至 { $day } 已使用 { $used }（{ $percent } %）；通知阈值：{ $marks }。
chart-today = 今天
chart-list-separator = 、
# 菜单之外的页面：不存在的地址、表单之外的拒绝。
plain-back = 返回控制台
missing-title = 页面不存在
missing-message = 此地址没有页面。页面可能已移动，或链接有误。
# 专属人员邀请（被邀请人看到的页面，R-ORG-05、R-ORG-11、R-ORG-13）。
personnel-title = 来自 { $partner } 的邀请
personnel-intro = { $partner } 邀请您的华为账号 { $account } 与其关联，成为其专属人员（R-ORG-05）。
personnel-valid-until = 链接有效期至 { $until }（R-ORG-11）。
personnel-accept = 接受邀请
personnel-accepted = 您已成为 { $partner } 的专属人员。
personnel-expired = 此邀请已过期。请联系 { $partner } 重新邀请（R-ORG-13）。
personnel-associated = 您是 { $partner } 的专属人员。
personnel-cancelled = { $partner } 已解除此关联。
personnel-causes = 该华为账号无法关联，原因共 { $count } 项
personnel-unknown-title = 未找到邀请
personnel-unknown = 此链接不是发给当前登录账号的邀请。请使用被邀请的华为账号登录。
