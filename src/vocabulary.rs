//! The domain's words, each a typed value with one spelling: what a pipeline's value
//! maps produce, what the stages compare, and what the tables and sql/ hold. A word is
//! declared once here (`vocabulary!`), with its text; nothing else spells it.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A closed set of words with one text each.
pub trait Vocabulary: Copy + Sized + 'static {
    /// Every text of the set, in declaration order.
    const NAMES: &'static [&'static str];
    fn as_str(self) -> &'static str;
    fn parse(text: &str) -> Option<Self>;
}

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl Vocabulary for $name {
            const NAMES: &'static [&'static str] = &[$($text,)+];

            fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl $name {
            pub fn as_str(self) -> &'static str {
                Vocabulary::as_str(self)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                <$name as Vocabulary>::parse(&text).ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        "`{text}` is not one of {}",
                        <$name as Vocabulary>::NAMES.join(", ")
                    ))
                })
            }
        }
    };
}

vocabulary! {
    /// 单位类型: the first six are kinds of the enterprise sector, the rest of the
    /// social-organization sector (law, accounting and tax firms wherever registered).
    UnitKind {
        PrivateEnterprise = "private_enterprise",
        ForeignEnterprise = "foreign_enterprise",
        StateOwned = "state_owned",
        Collective = "collective",
        IndividualBusiness = "individual_business",
        FarmerCoop = "farmer_coop",
        SocialGroup = "social_group",
        PrivateNonEnterprise = "private_non_enterprise",
        Foundation = "foundation",
        LawFirm = "law_firm",
        AccountingFirm = "accounting_firm",
        TaxFirm = "tax_firm",
    }
}

impl UnitKind {
    /// A kind whose unit becomes a professional firm when its name says so.
    pub fn may_be_a_firm(self) -> bool {
        matches!(
            self,
            UnitKind::PrivateEnterprise
                | UnitKind::ForeignEnterprise
                | UnitKind::PrivateNonEnterprise
        )
    }

    pub fn is_professional_firm(self) -> bool {
        matches!(
            self,
            UnitKind::LawFirm | UnitKind::AccountingFirm | UnitKind::TaxFirm
        )
    }
}

vocabulary! {
    /// 登记状态 of a registry record.
    RegistryStatus {
        Active = "active",
        MovedIn = "moved_in",
        Suspended = "suspended",
        Liquidation = "liquidation",
        MovedOut = "moved_out",
        Revoked = "revoked",
        Deregistered = "deregistered",
    }
}

vocabulary! {
    /// 社会组织 sub-category the rulebook names (民办学校, 民办医院).
    SubCategory {
        PrivateSchool = "private_school",
        PrivateHospital = "private_hospital",
        Other = "other",
    }
}

vocabulary! {
    /// 登记管理机关级别.
    RegistrationLevel {
        National = "national",
        Municipal = "municipal",
        District = "district",
    }
}

vocabulary! {
    /// 人员类别.
    MemberCategory {
        /// 正式党员.
        Formal = "formal",
        /// 预备党员.
        Probationary = "probationary",
    }
}

vocabulary! {
    /// 党籍状态: only `normal` members count.
    MemberStatus {
        Normal = "normal",
        Suspended = "suspended",
        LostContact = "lost_contact",
        Left = "left",
    }
}

vocabulary! {
    /// 党组织类别; a 党小组 (`group`) is not an organization and never counts.
    OrgLevel {
        /// 党委.
        Committee = "committee",
        /// 党总支.
        GeneralBranch = "general_branch",
        /// 党支部 (also 联合党支部).
        Branch = "branch",
        /// 党小组.
        Group = "group",
    }
}

vocabulary! {
    /// 组建方式 of an organization, and the organization form of a unit (`OrgForm`).
    Formation {
        /// 单独组建: the unit's own organization.
        Single = "single",
        /// 联合组建.
        Joint = "joint",
        /// 功能型 (work coverage, not organization coverage, by default).
        Functional = "functional",
        /// 挂靠组建 (joint coverage unless `affiliated_counts_as_joint = false`).
        Affiliated = "affiliated",
    }
}

vocabulary! {
    /// 党组织状态.
    OrgStatus {
        Active = "active",
        Dissolved = "dissolved",
    }
}

vocabulary! {
    /// How an organization relates to a unit (org_units.role).
    OrgRole {
        /// The unit the organization is set up in (所在单位).
        Host = "host",
        /// A unit a joint organization covers (联合党组织覆盖单位).
        Covered = "covered",
    }
}

vocabulary! {
    /// Why a unit is not counted (unit_status.out_of_scope_reason).
    ScopeReason {
        Deregistered = "deregistered",
        Revoked = "revoked",
        MovedOut = "moved_out",
        /// No record of the unit says where it is.
        NoDistrict = "no_district",
        StateOwned = "state_owned",
        Collective = "collective",
        IndividualBusiness = "individual_business",
        FarmerCoop = "farmer_coop",
    }
}

vocabulary! {
    /// How a member was placed in a unit (members.link_rule), strongest first.
    MemberRule {
        /// The unit of the member's own (single) organization.
        SingleOrgHost = "single_org_host",
        EmployerUscc = "employer_uscc",
        /// A USCC written inside 工作单位.
        EmployerUsccInName = "employer_uscc_in_name",
        EmployerOrgCode = "employer_org_code",
        EmployerRegNo = "employer_reg_no",
        EmployerName = "employer_name",
        /// One character of the 字号 off, one unit within reach.
        EmployerTypo = "employer_typo",
        /// A joint-organization member whose typo spells another company's exact name.
        EmployerTypoOrg = "employer_typo_org",
        EmployerFuzzy = "employer_fuzzy",
        /// Scored name among the units of the member's organization.
        EmployerFuzzyOrg = "employer_fuzzy_org",
        /// Candidates for a person to choose from (link_review).
        Review = "review",
        Unmatched = "unmatched",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T: Vocabulary + PartialEq + std::fmt::Debug>() {
        for name in T::NAMES {
            let v = T::parse(name).unwrap();
            assert_eq!(v.as_str(), *name);
        }
        assert_eq!(T::parse("no such word"), None);
    }

    #[test]
    fn every_word_reads_back_as_itself() {
        round_trips::<UnitKind>();
        round_trips::<RegistryStatus>();
        round_trips::<SubCategory>();
        round_trips::<RegistrationLevel>();
        round_trips::<MemberCategory>();
        round_trips::<MemberStatus>();
        round_trips::<OrgLevel>();
        round_trips::<Formation>();
        round_trips::<OrgStatus>();
        round_trips::<OrgRole>();
        round_trips::<ScopeReason>();
        round_trips::<MemberRule>();
    }
}
