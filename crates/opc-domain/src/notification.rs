//! Notifications waiting in the durable outbox.

use crate::ids::NotificationId;
use crate::time::Timestamp;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Email,
    /// A POST to the partner's webhook; the notification's recipient is the partner's id.
    Webhook,
    /// A text message to a mobile phone (EMA-6); the recipient is the phone number.
    Sms,
}

/// The `X-OPC-Signature` of a webhook body: `sha256=` and the hex HMAC-SHA256 of the body
/// under the partner's webhook secret, for the partner to check where the POST comes from.
pub fn webhook_signature(secret: &[u8], body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// How many times a delivery is tried before it is given up.
pub const ATTEMPTS_MAX: u32 = 8;

/// What became of a delivery attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    /// Failed; tried again at `at`.
    Retry {
        at: Timestamp,
        error: String,
    },
    /// Failed the last time: given up.
    Failed {
        error: String,
    },
}

impl Delivery {
    /// After the `attempts`-th attempt failed at `now`: wait 30 s, doubling each time up to an
    /// hour, until the last attempt.
    pub fn after_failure(attempts: u32, now: Timestamp, error: String) -> Delivery {
        if attempts >= ATTEMPTS_MAX {
            return Delivery::Failed { error };
        }
        let wait = (30_000i64 << attempts.saturating_sub(1).min(20)).min(3_600_000);
        Delivery::Retry { at: now.plus(crate::Millis(wait)), error }
    }
}

/// A message to deliver. Written in the same transaction as the change that causes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notification {
    pub id: NotificationId,
    pub channel: Channel,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: Timestamp,
}

/// The language of a message to a person: the console API's and BSS API's `lang` field.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Language {
    #[default]
    English,
    Chinese,
}

impl Language {
    /// `en-us` or `zh-cn`, the values the seeds' APIs take.
    pub fn parse(text: &str) -> Option<Language> {
        match text {
            "en-us" => Some(Language::English),
            "zh-cn" => Some(Language::Chinese),
            _ => None,
        }
    }

    /// The value [`Language::parse`] reads back: `en-us` or `zh-cn`.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en-us",
            Language::Chinese => "zh-cn",
        }
    }
}

/// The subject and body of each email the product sends, in each [`Language`]. Names and
/// tokens are passed in already validated; nothing here escapes them, as emails are plain text.
pub mod templates {
    use super::Language;
    use crate::time::Timestamp;

    /// A subject and a body.
    pub type Email = (String, String);

    /// A verification code valid for `minutes`.
    pub fn verification_code(lang: Language, code: &str, minutes: i64) -> Email {
        match lang {
            Language::English => (
                "Your verification code".to_owned(),
                format!("Your verification code is {code}. It is valid for {minutes} minutes."),
            ),
            Language::Chinese => ("您的验证码".to_owned(), format!("您的验证码是 {code}，{minutes} 分钟内有效。")),
        }
    }

    /// EMA-6: the SMS carrying the code for a member account's creation (B2.11.9
    /// `sub_customer_name`).
    pub fn member_sms_code(lang: Language, enterprise: &str, member: &str, code: &str, minutes: i64) -> String {
        match lang {
            Language::English => format!(
                "{enterprise} is creating the member account {member} with this phone. Verification code: {code} \
                 (valid for {minutes} minutes)."
            ),
            Language::Chinese => {
                format!("{enterprise}正在使用此手机号创建企业子账号{member}，验证码：{code}，{minutes}分钟内有效。")
            }
        }
    }

    /// R-DEV-01(a), R-DEV-08: an emailed invitation, with its validity stated; `link` is the
    /// invitation's absolute address.
    pub fn invitation(lang: Language, partner: &str, link: &str, reseller: bool, expires_at: Timestamp) -> Email {
        match lang {
            Language::English => (
                format!("{partner} invites you to associate with it on the cloud"),
                format!(
                    "Open {link} to register, or to sign in with your account, and associate with \
                     {partner} ({} model). The invitation is valid until {expires_at}.",
                    if reseller { "reseller" } else { "referral" }
                ),
            ),
            Language::Chinese => (
                format!("{partner} 邀请您与其关联"),
                format!(
                    "请打开 {link} 注册或登录您的账号，与 {partner} 关联（{}）。邀请有效期至 {expires_at}。",
                    if reseller { "转售模式" } else { "推荐模式" }
                ),
            ),
        }
    }

    /// R-ASSOC-21: the customer is told it is now associated.
    pub fn association(lang: Language, account: &str, partner: &str, reseller: bool) -> Email {
        match lang {
            Language::English => (
                format!("You are now associated with {partner}"),
                format!(
                    "Your account {account} is associated with {partner} in the {} model.",
                    if reseller { "reseller" } else { "referral" }
                ),
            ),
            Language::Chinese => (
                format!("您已与 {partner} 关联"),
                format!("您的账号 {account} 已以{}与 {partner} 关联。", if reseller { "转售模式" } else { "推荐模式" }),
            ),
        }
    }

    /// R-ORG-11: a dedicated-personnel invitation, valid 7 days; `link` is its absolute address.
    pub fn personnel_invitation(lang: Language, partner: &str, link: &str, expires_at: Timestamp) -> Email {
        match lang {
            Language::English => (
                format!("{partner} invites you to associate your HUAWEI ID with it"),
                format!(
                    "Sign in and open {link} to associate your HUAWEI ID with {partner} as \
                     its dedicated personnel. The link is valid until {expires_at}."
                ),
            ),
            Language::Chinese => (
                format!("{partner} 邀请您关联华为账号"),
                format!("请登录后打开 {link}，将您的华为账号关联到 {partner}。链接有效期至 {expires_at}。"),
            ),
        }
    }

    /// R-ASSOC-21: a customer the partner created is told its account exists and is associated.
    pub fn account_created(lang: Language, account: &str, partner: &str, reseller: bool) -> Email {
        match lang {
            Language::English => (
                format!("You are now associated with {partner}"),
                format!(
                    "Your cloud account {account} has been created and associated with the partner {partner} in the \
                     {} model.",
                    if reseller { "reseller" } else { "referral" }
                ),
            ),
            Language::Chinese => (
                format!("您已与 {partner} 关联"),
                format!(
                    "您的云账号 {account} 已创建，并以{}与伙伴 {partner} 关联。",
                    if reseller { "转售模式" } else { "推荐模式" }
                ),
            ),
        }
    }

    /// R-RCM-04: a reseller customer's spend reached `threshold` % of its budget; `kind` is the
    /// budget's type (monthly or package), amounts are already formatted for people.
    pub fn budget_notice(
        lang: Language,
        customer: &str,
        customer_id: &str,
        threshold: u32,
        monthly: bool,
        used: &str,
        budget: &str,
    ) -> Email {
        match lang {
            Language::English => {
                let kind = if monthly { "monthly" } else { "package" };
                (
                    format!("{customer} has used {threshold}% of its {kind} budget"),
                    format!(
                        "Customer {customer} ({customer_id}) has spent {used} at list price against its {kind} budget \
                         of {budget}. You may adjust the budget or freeze the customer (R-RCM-05)."
                    ),
                )
            }
            Language::Chinese => {
                let kind = if monthly { "月度" } else { "套餐" };
                (
                    format!("{customer} 已使用其{kind}预算的 {threshold}%"),
                    format!(
                        "客户 {customer}（{customer_id}）按目录价已消费 {used}，其{kind}预算为 {budget}。\
                         您可以调整预算或冻结该客户（R-RCM-05）。"
                    ),
                )
            }
        }
    }

    /// R-QUOTA-04, R-QUOTA-06: the partner's reseller spend `used` against its consumption quota,
    /// at the notice's threshold or (`exceeded`) beyond the quota.
    pub fn quota_notice(lang: Language, threshold: u32, exceeded: bool, used: &str, quota: &str) -> Email {
        match (lang, exceeded) {
            (Language::English, true) => (
                "Your consumption quota is used up".to_owned(),
                format!(
                    "Your reseller customers have spent {used} against your consumption quota of {quota}. Your \
                     account is restricted and your reseller customers cannot purchase until you repay (R-QUOTA-06)."
                ),
            ),
            (Language::English, false) => (
                format!("{threshold}% of your consumption quota is used"),
                format!(
                    "Your reseller customers have spent {used} against your consumption quota of {quota} (R-QUOTA-04)."
                ),
            ),
            (Language::Chinese, true) => (
                "您的消费额度已用完".to_owned(),
                format!(
                    "您的转售客户已消费 {used}，您的消费额度为 {quota}。您的账号已受限，\
                     在您还款之前，您的转售客户无法购买（R-QUOTA-06）。"
                ),
            ),
            (Language::Chinese, false) => (
                format!("您的消费额度已使用 {threshold}%"),
                format!("您的转售客户已消费 {used}，您的消费额度为 {quota}（R-QUOTA-04）。"),
            ),
        }
    }

    /// R-PROG-27: the operator invites an account to the Distribution Partner Program; `link` is
    /// where it applies.
    pub fn dpp_invitation(lang: Language, link: &str) -> Email {
        match lang {
            Language::English => (
                "Invitation for joining the Distribution Partner Program".to_owned(),
                format!("You are invited to join the Distribution Partner Program: sign in and apply at {link}."),
            ),
            Language::Chinese => {
                ("邀请您加入分销伙伴计划".to_owned(), format!("诚邀您加入分销伙伴计划：请登录后在 {link} 提交申请。"))
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn r_assoc_21_the_association_email_is_written_in_the_customers_language() {
            let (subject, body) = association(Language::English, "cust_1", "Acme", true);
            assert_eq!(subject, "You are now associated with Acme");
            assert!(body.contains("cust_1") && body.contains("reseller model"), "{body}");
            let (subject, body) = association(Language::Chinese, "cust_1", "Acme", false);
            assert_eq!(subject, "您已与 Acme 关联");
            assert!(body.contains("cust_1") && body.contains("推荐模式"), "{body}");
        }

        #[test]
        fn r_rcm_04_r_quota_04_notices_speak_the_partners_language() {
            let (subject, body) = budget_notice(Language::English, "Acme", "c1", 75, true, "USD 75.00", "USD 100.00");
            assert_eq!(subject, "Acme has used 75% of its monthly budget");
            assert!(body.contains("USD 75.00") && body.contains("USD 100.00"), "{body}");
            let (subject, body) = budget_notice(Language::Chinese, "Acme", "c1", 90, false, "USD 90.00", "USD 100.00");
            assert_eq!(subject, "Acme 已使用其套餐预算的 90%");
            assert!(body.contains("USD 90.00") && body.contains("c1"), "{body}");
            let (subject, _) = quota_notice(Language::English, 80, false, "USD 8.00", "USD 10.00");
            assert_eq!(subject, "80% of your consumption quota is used");
            let (subject, body) = quota_notice(Language::Chinese, 100, true, "USD 11.00", "USD 10.00");
            assert_eq!(subject, "您的消费额度已用完");
            assert!(body.contains("USD 11.00") && body.contains("R-QUOTA-06"), "{body}");
            let (_, body) = dpp_invitation(Language::Chinese, "https://p.example/partner/programs");
            assert!(body.contains("https://p.example/partner/programs"), "{body}");
            assert_eq!(Language::parse(Language::Chinese.code()), Some(Language::Chinese));
        }

        #[test]
        fn r_dev_08_the_invitation_email_states_its_validity_in_each_language() {
            let until = Timestamp::from_unix_ms(0);
            for lang in [Language::English, Language::Chinese] {
                let (_, body) = invitation(lang, "Acme", "https://p.example/invitations/abc", true, until);
                assert!(
                    body.contains("https://p.example/invitations/abc") && body.contains(&until.to_string()),
                    "{body}"
                );
            }
            assert_eq!(Language::parse("zh-cn"), Some(Language::Chinese));
            assert_eq!(Language::parse("en-us"), Some(Language::English));
            assert_eq!(Language::parse("fr-fr"), None);
        }
    }
}

#[cfg(test)]
mod delivery_tests {
    use super::*;

    #[test]
    fn failed_deliveries_wait_longer_each_time_and_are_given_up_at_the_last_attempt() {
        let now = Timestamp::from_unix_ms(0);
        let wait = |n| match Delivery::after_failure(n, now, "down".into()) {
            Delivery::Retry { at, .. } => at.unix_ms(),
            other => panic!("{other:?}"),
        };
        assert_eq!((wait(1), wait(2), wait(3)), (30_000, 60_000, 120_000));
        assert_eq!(wait(ATTEMPTS_MAX - 1), 1_920_000);
        assert_eq!(
            Delivery::after_failure(ATTEMPTS_MAX, now, "down".into()),
            Delivery::Failed { error: "down".into() }
        );
    }

    #[test]
    fn webhook_bodies_are_signed_with_hmac_sha256() {
        // RFC 4231 test case 2.
        let sig = webhook_signature(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(sig, "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}
