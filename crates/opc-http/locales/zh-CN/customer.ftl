# 控制台的简体中文：customer 页面。消息 id 与 en-US/customer.ftl 一一对应。

## 未满足的前提条件（console/customer.rs，伙伴计划页面也使用）

customer-causes-rule = （{ $rule }）
customer-causes-fix = 解决方法：{ $fix }

## 邀请：注册或登录后接受（console/customer.rs）

invite-title = 邀请
invite-not-found = 未找到邀请
invite-causes-title = 该账号暂时无法关联
invite-see-causes = 请查看下方列出的全部原因。
invite-heading = { $partner } 邀请您
invite-associate-before = 将您的云账号关联到{" "}
invite-associate-middle = ，采用
invite-associate-after = 模式。
invite-model-reseller = 转售
invite-model-referral = 推荐
invite-reseller-note = 在此模式下，伙伴为您的用量付费并管控您的消费：在伙伴为您设置预算并解冻之前，您的账号处于冻结状态。
invite-valid-until = 此邀请的有效期至 { $at }。
invite-consent-instructions-before = 我已阅读并同意
invite-consent-instructions-doc = 《华为云伙伴关联须知》
invite-consent-instructions-after = （转售模式下必须同意：伙伴为我的资源付费、设置我的预算，并可冻结我的账号）
invite-consent-letter-before = 我同意签署可选的
invite-consent-letter-doc = 《客户授权书》
invite-consent-letter-after = （伙伴可代我下单并管理资源）
invite-accept-as = 以 { $name } 的身份接受
invite-consent-agreement-enable = 我同意《客户协议》（用于开通云服务，如尚未开通）
invite-accept-submit = 接受邀请
invite-register-heading = 注册并接受邀请
invite-country = 国家或地区（两位字母代码，如 SG）
invite-email = 邮箱
invite-send-code = 发送验证码
invite-code = 验证码（见邮件）
invite-password = 密码
invite-password-confirm = 确认密码
invite-consent-id = 我已阅读并同意《华为帐号用户协议》
invite-consent-privacy = 我已阅读并同意《关于华为帐号与隐私的声明》
invite-consent-customer = 我已阅读并同意《客户协议》和《隐私政策声明》
invite-register-submit = 注册并关联
invite-have-account = 已有账号？
invite-sign-in = 登录后接受
invite-sign-in-note = （已有账号只能接受通过邮件发送的邀请）。
invite-code-sent = 验证码已发送至 { $email }。
invite-associated-reseller-frozen = 您已以转售模式完成关联。在伙伴为您设置预算并解冻之前，您的账号处于冻结状态。
invite-associated-reseller = 您已以转售模式完成关联。
invite-associated-referral = 您已以推荐模式完成关联。

## 我的伙伴：关联关系与解除关联申请（console/customer.rs）

customer-partner-title = 我的伙伴
customer-frozen = 您的账号自 { $since } 起已冻结（{ $scope }）：{ $cause }
customer-frozen-scope-account = 仅账号
customer-frozen-scope-resources = 账号及资源
customer-frozen-cause-reseller = 伙伴为您的资源付费，为您设置预算后即会解冻您的账号（R-RCM-02）。
customer-frozen-cause-partner = 伙伴冻结了您的账号（R-RCM-10），请联系伙伴解冻。
customer-frozen-cause-partner-frozen = 伙伴自身的账号已被冻结，其客户也随之冻结（R-QUOTA-10）。
customer-frozen-cause-budget = 您本期的预算已用完，伙伴可以提高预算（R-RCM-04）。
customer-frozen-reason = 伙伴给出的原因：“{ $reason }”。
customer-partner-none = 您尚未与伙伴关联。打开伙伴发送的邀请链接即可来到此页。
customer-partner-name = 伙伴
customer-partner-country = 国家或地区
customer-partner-model = 模式
customer-model-reseller = 转售
customer-model-referral = 推荐
customer-partner-since = 关联时间
customer-partner-asks = 伙伴申请解除关联
customer-partner-reason = 原因：{ $reason }
customer-partner-agree-confirm = 确定与伙伴解除关联吗？
customer-partner-agree = 同意
customer-partner-refuse = 拒绝
customer-partner-waiting = 您的解除关联申请正在等待伙伴处理。
customer-partner-request-confirm = 确定向伙伴申请解除关联吗？
customer-partner-request = 申请解除关联
customer-partner-request-reason = 原因
customer-partner-request-sent = 您的申请已发送给伙伴。
customer-partner-ended = 关联已解除。
customer-partner-stays = 您与伙伴的关联保持不变。

## 我的账单（console/customer.rs）

customer-bills-title = 我的账单
customer-bills-spend = 我的消费
customer-bills-budget = 伙伴为您设置的预算（R-RCM-03）及其本月使用情况。
customer-bills-whose = 您
customer-bills-none = 尚无已出账的月份。
customer-bills-total = 合计
customer-bills-you-pay = 此账单由您支付
customer-bills-partner-pays = 由伙伴支付：您无需为此付费
customer-bills-service-type = 服务类型
customer-bills-mode = 计费模式
customer-bills-amount = 金额

## 我的代金券（console/customer.rs）；CSV 导出保留英文

customer-coupons-title = 我的代金券
customer-coupons-note = 伙伴为您发放的代金券用于抵扣您在伙伴账单中的消费，您本人无需为此支付。
customer-coupons-caption = 为您发放的代金券
customer-coupons-col-coupon = 代金券
customer-coupons-col-kind = 类型
customer-coupons-col-balance = 余额（USD）
customer-coupons-col-face = 面额
customer-coupons-col-from = 生效时间
customer-coupons-col-to = 失效时间
customer-coupons-col-types = 服务类型
customer-coupons-col-remarks = 备注
customer-coupons-col-status = 状态
customer-coupons-cash = 代金券
customer-coupons-test = 测试券
customer-coupons-any = 不限

## 订单与资源（console/orders.rs）；CSV 导出保留英文

orders-title = 订单
orders-heading = 订单与资源
orders-status-pending = 待支付
orders-status-cancelled = 已取消
orders-status-completed = 已完成
orders-type-new = 新购
orders-type-renewal = 续费
orders-type-unsubscription = 退订
orders-resource-in-use = 使用中
orders-resource-closed = 已关闭
orders-resource-frozen = 已冻结
orders-resource-expired = 已过期
orders-col-order = 订单号
orders-col-type = 类型
orders-col-status = 状态
orders-col-price = 目录价
orders-col-placed = 下单时间
orders-letter = 客户授权书
orders-letter-accepted = 伙伴可代您下单和管理资源（于 { $at } 接受）。
orders-letter-withdraw-confirm = 确定撤销对伙伴的授权吗？
orders-letter-withdraw = 撤销授权
orders-letter-missing = 在您接受授权书之前，伙伴无法代您下单或管理资源（R-RCM-14）。
orders-letter-accept = 接受授权书
orders-letter-granted = 伙伴现在可以代您下单和管理资源。
orders-letter-withdrawn = 已撤销对伙伴的授权。
orders-blocked = 您目前无法购买、续费或支付：{ $why }。
orders-nothing-for-sale = 暂无包年/包月在售产品。
orders-buy = 购买
orders-buy-offering = 产品与时长
orders-buy-quantity = 数量
orders-buy-submit = 提交订单
orders-offering = { $name }，{ $region }，{ $term }：{ $price }
orders-term-months = { $count }个月
orders-term-years = { $count }年
orders-placed = 订单 { $order } 已提交：{ $amount }，待支付。
orders-pay-card = 储值卡
orders-pay-no-card = 不使用储值卡
orders-pay-card-option = { $name }（{ $id }）：余额 { $balance }，有效期至 { $until }
orders-pay-coupon = 代金券
orders-pay-coupon-option = { $id }：余额 { $balance }，有效期至 { $until }
orders-pay-no-coupon = 不使用代金券
orders-pay-discount = 伙伴折扣
orders-pay-price-adjustment = 价格调整
orders-pay-discount-option = { $kind }：{ $service } 优惠 { $percent }，减免 { $saving }
orders-pay-no-discount = 不使用折扣
orders-pay-confirm-before = 我确认支付{" "}
orders-pay-confirm-after = （按目录价计；所选折扣、代金券或储值卡将抵扣相应部分）
orders-pay = 支付 { $amount }
orders-cancel-confirm = 确定取消此订单吗？
orders-cancel = 取消订单
orders-paid = 订单 { $order } 已支付。
orders-cancelled = 订单 { $order } 已取消。
orders-trace-due = 应付金额
orders-trace-coupon = 代金券 { $coupon }：{ $state }
orders-trace-held = 已为此订单预留，待伙伴 { $month } 的账单抵扣
orders-trace-paid = 已在伙伴 { $month } 的账单中抵扣 { $amount }
orders-trace-released = 未使用即释放：订单的服务期在开始前已退订
orders-resources = 包年/包月资源
orders-resources-none = 暂无。
orders-col-resource = 资源
orders-col-product = 产品
orders-col-expires = 到期时间
orders-part-of = （属于 { $parent }）
orders-renew-confirm-before = 我确认现在支付{" "}
orders-renew-confirm-after = ，续费 1 个月
orders-renew = 续费 1 个月（{ $rate }）
orders-unsubscribe-confirm = 确定退订此资源吗？未使用的时长将退款，资源随即停止。
orders-unsubscribe = 退订
orders-renewed = 资源 { $resource } 已续费 1 个月。
orders-unsubscribed = 资源 { $resource } 已退订，未使用的时长已退款。

## 资源包：订单页面与伙伴的客户页面（console/packages.rs）

orders-packages = 资源包
orders-packages-col-package = 资源包
orders-packages-col-covers = 适用范围
orders-packages-col-remaining = 剩余量
orders-packages-col-status = 状态
orders-packages-col-term = 有效期
orders-packages-covers = { $resource } 的{ $usage }，{ $region }
orders-packages-remaining = { $left } / { $total }
orders-packages-remaining-month = 本月 { $left } / { $total }
orders-package-not-yet-effective = 未生效
orders-package-in-effect = 生效中
orders-package-used-up = 已用完
orders-package-expired = 已过期
orders-package-unsubscribed = 已退订

## 储值卡：客户与运营人员的页面（console/stored_value.rs）；CSV 导出保留英文

funds-title = 储值卡
funds-my-caption = 您的储值卡
funds-col-card = 卡号
funds-col-name = 名称
funds-col-customer = 客户
funds-col-balance = 余额（USD）
funds-col-face = 面额
funds-col-from = 生效时间
funds-col-to = 失效时间
funds-col-status = 状态
funds-usable = 可用
funds-used-up = 已用完
funds-my-note = 储值卡是您预先支付的款项。在“订单”页面支付订单时可选择一张储值卡：它会尽可能抵扣应付金额（扣除伙伴折扣后），其余部分照常支付。购买储值卡及使用储值卡支付的款项均不计入伙伴的收入。
funds-operator-note = 登记客户购买的储值卡：其初始余额等于面额，用于支付该客户的订单。不适用于转售客户，其订单由伙伴的账单支付。金额精确到分；日期按 UTC 日计，不含结束日。
funds-record = 登记储值卡
funds-customer-id = 客户 ID
funds-card-name = 卡名称
funds-face-value = 面额（USD）
funds-valid-from = 生效日期（YYYY-MM-DD；留空表示立即生效）
funds-valid-until = 失效日期（YYYY-MM-DD，不含当日）
funds-record-submit = 登记
funds-recorded = 已为客户 { $customer } 登记储值卡 { $card }，面额 { $amount }。

## 伙伴的通知：邮件收件人与 Webhook（console/notices.rs）

notices-title = 通知
notices-intro = 转售客户的预算使用达到 75 %、90 % 和 100 % 时发送预算通知；消费额度使用达到 80 % 及用完时发送额度通知（R-RCM-04、R-QUOTA-04）。
notices-recipients = 邮件收件人
notices-emails = 邮箱（以逗号分隔）
notices-save = 保存收件人
notices-saved = 通知将发送至：{ $emails }。
notices-webhook = Webhook
notices-secret-once = 请立即复制签名密钥：它仅显示这一次。
notices-copy-secret = 复制密钥
notices-webhook-note = 每条通知还会以 JSON 格式 POST 到此 URL，并在请求头 X-OPC-Signature 中签名（sha256= 加上用密钥计算的请求体 HMAC-SHA256）。投递失败时，会在约一小时内重试八次（首次间隔 30 秒，此后每次间隔加倍）。
notices-webhook-now = 当前：
notices-webhook-url = Webhook URL
notices-webhook-replace = 更换 Webhook 及其密钥
notices-webhook-set = 设置 Webhook
notices-webhook-remove-confirm = 确定删除 Webhook 吗？删除后通知仅通过邮件发送。
notices-webhook-remove = 删除 Webhook
notices-webhook-removed = Webhook 已删除：通知仅通过邮件发送。

## 扫码实名认证，无需登录（console/realname_scan.rs）

scan-title = 实名认证
scan-for-before = 为云账号{" "}
scan-for-after = （{ $account }）办理实名认证。
scan-once = 此页面只能提交一次，有效期至 { $until }。
scan-no-face = 此处不支持人脸识别，请改为提供您的身份证件及其照片：由云服务提供商的工作人员审核，您手持证件的照片将代替人脸核验。审核完成后，您的账号中会显示结果。
scan-document = 证件类型
scan-doc-passport = 护照
scan-doc-hk-macao-permit = 港澳居民来往内地通行证
scan-doc-taiwan-permit = 台湾居民来往大陆通行证
scan-doc-hk-macao-residence = 港澳居民居住证
scan-doc-taiwan-residence = 台湾居民居住证
scan-name = 证件上的姓名
scan-number = 证件号码
scan-photos-note = 请按以下顺序上传照片：护照为资料页、手持资料页（2 张）；通行证或居住证为正面、背面、手持正面（3 张）。支持 JPG、PNG、BMP、GIF 或 PDF 格式，每张不超过 10 MB。
scan-photo = 照片 { $n }
scan-submit = 提交审核
scan-unusable = 二维码不可用
scan-refused = 已拒绝
scan-other-site = 该表单是从其他网站提交的。
scan-unreadable = 无法读取表单，请重新提交。
scan-unexpected-field = 表单包含意外的字段 { $name }。
scan-choose-document = 请选择证件类型。
scan-submitted = 已提交
scan-under-review = 您的实名认证正在审核中。您可以关闭此页面。
