//! The record of each source kind made from a row (a unit, a party organization, a
//! joint-coverage row, a member, a ledger row): which fields it needs, how a unit's
//! kind and district are decided, how a member's ID number is pseudonymized.

use crate::config::{self, CheckPolicy, FieldSpec, Pipeline, SourceKind, SourceSpec};
use crate::ids::{self, IdNumber};
use crate::model::*;
use crate::names::{employer_key, innermost_org, normalize_name, org_name_key};
use crate::vocabulary::{
    IssueKind, MemberCategory, MemberStatus, RegistryStatus, SourceField, UnitKind, Vocabulary,
};

use SourceField as F;

use super::pseudonym::PseudonymKey;
use super::row::*;
use super::values;
use super::Staged;

pub(super) struct RowContext<'a> {
    pub(super) p: &'a Pipeline,
    pub(super) spec: &'a SourceSpec,
    pub(super) key: &'a PseudonymKey,
    /// The lineage every row of the file shares.
    pub(super) origin: std::sync::Arc<crate::model::Origin>,
    /// The one district the file's name gives (企业名录_朝阳区.csv), if it gives one.
    pub(super) file_district: Option<String>,
    /// The first month a ledger row of the run's period cannot be reported in: the one
    /// after the month that follows the period (a ledger of November is filled in up to
    /// the end of December).
    pub(super) reports_end: String,
}

pub(super) fn field(kind: SourceKind, field: SourceField) -> &'static FieldSpec {
    config::fields(kind)
        .iter()
        .find(|f| f.field == field)
        .expect("field of the catalogue")
}

impl RowContext<'_> {
    pub(super) fn name_key(&self, name: &str) -> String {
        normalize_name(name, &self.p.pipeline.name_prefixes)
    }

    /// Turns a row into a record of the source's kind, or says why it cannot.
    pub(super) fn accept(
        &self,
        mut row: Row,
        texts: &mut Texts,
        out: &mut Staged,
    ) -> std::result::Result<(), Reject> {
        let key = |n: &str| self.name_key(n);
        match self.spec.kind {
            SourceKind::UnitRegistry => {
                let unit = self.unit(&mut row, texts)?;
                out.units.push(unit);
            }
            SourceKind::PartyOrgs => {
                let org = self.party_org(&mut row, texts)?;
                // An organization export that lists the units an organization covers.
                let mut covered = self.covered_units(&mut row, &org.org_id, false, texts)?;
                out.orgs.push(org);
                out.joint.append(&mut covered);
            }
            SourceKind::JointCoverage => {
                // The organization's code, or its name where the list names it.
                let written = row.required(F::OrgId)?;
                let org_id = ids::org_id_key(&written);
                let mut covered = self.covered_units(&mut row, &org_id, true, texts)?;
                let name_key = org_name_key(&written, &self.p.pipeline.name_prefixes);
                for rec in &mut covered {
                    rec.org_name_key = Some(name_key.clone());
                }
                out.joint.append(&mut covered);
            }
            SourceKind::Members => {
                let member = self.member(&mut row, texts)?;
                out.members.push(member);
            }
            SourceKind::Ledger => {
                let unit = row.unit_ref(F::Uscc, F::Name, key, texts)?;
                if unit.is_empty() {
                    return Err(row.reject(
                        F::Uscc.as_str(),
                        IssueKind::NoIdentity,
                        "neither a usable USCC nor a unit name",
                        None,
                    ));
                }
                out.ledger.push(LedgerRecord {
                    unit,
                    instructor: row.yes(F::Instructor),
                    union: row.yes(F::Union),
                    youth_league: row.yes(F::YouthLeague),
                    employees: row.count(F::Employees),
                    no_org_reason: row.text(F::NoOrgReason),
                    reported: row.report_date(F::Reported, &self.reports_end),
                    lineage: row.lineage.clone(),
                });
            }
        }
        out.flags.append(&mut row.flags);
        Ok(())
    }

    /// The units a row says `org_id` covers, one record each where a cell lists several.
    /// A row of the joint-coverage list must name one (`required`: else it is rejected);
    /// an organization's row names none when it covers none.
    fn covered_units(
        &self,
        row: &mut Row,
        org_id: &str,
        required: bool,
        texts: &mut Texts,
    ) -> std::result::Result<Vec<JointCoverageRecord>, Reject> {
        let key = |n: &str| self.name_key(n);
        let (mut covered, mut flags) = (Vec::new(), Vec::new());
        for mut part in row.list_parts(&[F::UnitUscc, F::UnitName]) {
            let unit = part.unit_ref(F::UnitUscc, F::UnitName, key, texts)?;
            if unit.is_empty() {
                if !required {
                    continue;
                }
                return Err(part.reject(
                    F::UnitUscc.as_str(),
                    IssueKind::NoIdentity,
                    "neither a usable USCC nor a name of the covered unit",
                    None,
                ));
            }
            flags.append(&mut part.flags);
            covered.push(JointCoverageRecord {
                org_id: org_id.to_string(),
                org_name_key: None,
                unit,
                lineage: row.lineage.clone(),
            });
        }
        row.flags.append(&mut flags);
        Ok(covered)
    }

    /// A registry row is rejected only when its unit cannot be identified or placed: no
    /// name, a kind or status that maps to nothing, no district and no code to find it
    /// by. Any other defect is flagged and the field left NULL.
    pub(super) fn unit(
        &self,
        row: &mut Row,
        texts: &mut Texts,
    ) -> std::result::Result<UnitRecord, Reject> {
        let k = SourceKind::UnitRegistry;
        let name = row.required(F::Name)?;
        let in_uscc = row.uscc_column(F::Uscc)?;
        let uscc = in_uscc.uscc;
        let mut reg_no = row.code(F::RegNo, "注册号", ids::is_valid_reg_no)?;
        let mut org_code = row.code(F::OrgCode, "组织机构代码", ids::is_valid_org_code)?;
        // An older code written in the USCC column counts where its own column has none.
        for (own, from_uscc) in [
            (&mut org_code, in_uscc.org_code),
            (&mut reg_no, in_uscc.reg_no),
        ] {
            if own.as_ref().is_none_or(|c| !c.valid) {
                if let Some(value) = from_uscc {
                    *own = Some(Code { value, valid: true });
                }
            }
        }
        let kind = self.unit_kind(row, &name, uscc.as_ref())?;
        let dated = |f: F| row.columns.index.contains_key(f.as_str());
        let status = match row.text(F::Status) {
            // 注销日期 / 吊销日期 stand in where 登记状态 is not written.
            None if dated(F::DeregisteredDate) || dated(F::RevokedDate) => {
                if row.yes(F::DeregisteredDate) {
                    RegistryStatus::Deregistered
                } else if row.yes(F::RevokedDate) {
                    RegistryStatus::Revoked
                } else {
                    RegistryStatus::Active
                }
            }
            _ => row.required_word(field(k, F::Status))?,
        };
        let has_code = [&uscc, &reg_no, &org_code]
            .iter()
            .any(|c| c.as_ref().is_some_and(|c| c.valid));
        let district_code = self.district(row, has_code)?;
        let name_key = self.name_key(&name);
        let former_name_keys = row
            .text(F::FormerName)
            .map(|t| {
                t.split(['、', '；', ';', '\n'])
                    .map(|n| self.name_key(n))
                    .filter(|k| !k.is_empty() && *k != name_key)
                    .collect()
            })
            .unwrap_or_default();
        Ok(UnitRecord {
            name_key,
            former_name_keys,
            name: values::shown_name(name),
            uscc,
            reg_no,
            org_code,
            kind,
            status,
            facts: RegistryFacts {
                district_code: texts.share_opt(district_code),
                street: texts.share_opt(
                    row.written(F::Street)
                        .map(|s| {
                            self.street_in(&s)
                                .unwrap_or_else(|| crate::names::street_name(&s))
                        })
                        .or_else(|| self.street_in(row.text(F::Address).as_deref()?)),
                ),
                industry: texts.share_opt(row.written(F::Industry)),
                park: texts.share_opt(row.written(F::Park)),
                building: texts.share_opt(row.written(F::Building)),
                employees: row.count(F::Employees),
                established: texts.share_opt(row.date(F::Established)),
                approved: texts.share_opt(row.date(F::Approved)),
                registration_level: row.optional_word(field(k, F::RegistrationLevel)),
                sub_category: row.optional_word(field(k, F::SubCategory)),
            },
            lineage: row.lineage.clone(),
        })
    }

    /// Kind from the export's 企业类型 when it says, else from the USCC's registry and
    /// kind characters, else the source's default; a law / accounting / tax firm name
    /// makes a private unit a professional firm.
    pub(super) fn unit_kind(
        &self,
        row: &Row,
        name: &str,
        uscc: Option<&Code>,
    ) -> std::result::Result<UnitKind, Reject> {
        let spec = field(SourceKind::UnitRegistry, F::EntityType);
        let word = |text: String| UnitKind::parse(&text).ok_or_else(|| row.not_a_word(spec, text));
        let kind = match row.cell(F::EntityType) {
            Some(raw) => Some(word(row.map_value(spec, raw)?)?),
            // A mistyped check character rarely touches the registry and kind characters.
            None => match uscc.and_then(|c| kind_of_uscc(&c.value)) {
                Some(kind) => Some(kind),
                None => row.canonical(spec).transpose()?.map(word).transpose()?,
            },
        };
        // In normal form: a stray space (北京X税务 师事务所) must not hide the kind.
        let key = self.name_key(name);
        let firm = self
            .p
            .rules
            .professional_firm_names
            .iter()
            .find(|(_, endings)| endings.iter().any(|e| key.contains(e.as_str())))
            .map(|(firm, _)| *firm);
        match (kind, firm) {
            (Some(k), Some(firm)) if k.may_be_a_firm() => Ok(firm),
            (Some(k), _) => Ok(k),
            // A directory of firms without a kind column: the name says what it is.
            (None, Some(firm)) => Ok(firm),
            (None, None) => Err(row.reject(
                F::EntityType.as_str(),
                IssueKind::UnknownKind,
                "unit kind unknown: no 企业类型, no USCC kind, no default and no firm name",
                None,
            )),
        }
    }

    /// The unit's district from the export's district field (code or name), else from
    /// its address (住所: a unit is where it is registered as being), else from its
    /// registering authority (登记机关, or 民政's 登记管理机关, which can be a city-level
    /// or development-zone office, or lag behind a move); never from the USCC's area
    /// code. A row that names none is kept when a valid code can place it through the
    /// unit's other records (flagged where the export has a district column), and
    /// rejected when nothing can.
    pub(super) fn district(&self, row: &mut Row, has_code: bool) -> Kept<String> {
        let raw = row.text(F::District);
        let named = raw
            .as_deref()
            .and_then(|t| self.p.district_in(t))
            .or_else(|| {
                [F::Address, F::Authority, F::RegistrationLevel]
                    .into_iter()
                    .find_map(|f| self.p.district_in(&row.text(f)?))
            });
        if named.is_some() {
            return Ok(named);
        }
        // An export cut by district, the district in the file's name and in no column.
        if let (None, Some(code)) = (&raw, &self.file_district) {
            return Ok(Some(code.clone()));
        }
        match (raw, has_code) {
            (Some(raw), false) => Err(row.reject(
                F::District.as_str(),
                IssueKind::UnknownDistrict,
                "not a district of the pipeline's [districts], nor does its address or 登记机关 name one",
                Some(&raw),
            )),
            (None, false) => Err(row.reject(
                F::District.as_str(),
                IssueKind::NoDistrict,
                "no district (column, address or 登记机关) and no valid code to place the unit by",
                None,
            )),
            (Some(raw), true) => {
                row.flag(
                    F::District.as_str(),
                    IssueKind::UnknownDistrict,
                    UNKNOWN_DISTRICT,
                    Some(raw),
                );
                Ok(None)
            }
            (None, true) => {
                if row.columns.index.contains_key(F::District.as_str()) {
                    row.flag(
                        F::District.as_str(),
                        IssueKind::NoDistrict,
                        "empty; the unit is placed by its other records (no_district if none)",
                        None,
                    );
                }
                Ok(None)
            }
        }
    }

    /// The one district a file's name gives, by a part of its stem (cut at `_ - . 空格`
    /// and brackets) read as a district cell is (朝阳区, 朝阳, 110105); none where parts
    /// name two districts.
    pub(super) fn district_of_file(&self, path: &std::path::Path) -> Option<String> {
        let stem = path.file_stem()?.to_string_lossy();
        let mut found: Vec<String> = stem
            .split(['_', '-', '.', ' ', '(', ')', '（', '）', '【', '】'])
            .filter(|part| !part.is_empty())
            .filter_map(|part| self.p.district_in(part))
            .collect();
        found.dedup();
        match found.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        }
    }

    /// A name key that begins with one of the pipeline's districts, without it, where at
    /// least four characters follow (朝阳区某某科技有限公司 → 某某科技有限公司).
    pub(super) fn without_district(&self, key: &str) -> Option<String> {
        self.p.districts.values().find_map(|name| {
            let rest = key.strip_prefix(name.as_str())?;
            (rest.chars().count() >= 4).then(|| rest.to_string())
        })
    }

    /// The street a text names after one of the pipeline's districts (see
    /// `names::street_after`): a unit's 住所 where the export has no street column, a
    /// street committee's name.
    pub(super) fn street_in(&self, text: &str) -> Option<String> {
        self.p
            .districts
            .values()
            .find_map(|name| crate::names::street_after(text, name))
    }

    pub(super) fn party_org(
        &self,
        row: &mut Row,
        texts: &mut Texts,
    ) -> std::result::Result<PartyOrgRecord, Reject> {
        let k = SourceKind::PartyOrgs;
        let name = row.required(F::Name)?;
        let district_code = row
            .text(F::District)
            .and_then(|t| self.p.district_in(&t))
            .or_else(|| self.p.district_in(&name));
        let street = self.street_in(&name);
        let parent = row.text(F::ParentId);
        let prefixes = &self.p.pipeline.name_prefixes;
        Ok(PartyOrgRecord {
            org_id: ids::org_id_key(&row.required(F::OrgId)?),
            name_key: org_name_key(&name, prefixes),
            name,
            level: row.required_word(field(k, F::Level))?,
            formation: row.required_word(field(k, F::Formation))?,
            host: row.unit_ref(F::HostUscc, F::HostName, |n| self.name_key(n), texts)?,
            parent_id: parent.as_deref().map(ids::org_id_key),
            parent_name_key: parent.map(|p| org_name_key(&p, prefixes)),
            status: row.required_word(field(k, F::Status))?,
            street,
            district_code,
            lineage: row.lineage.clone(),
        })
    }

    /// A member is rejected only when the person cannot be identified (no ID number, or
    /// not one at all) or the category or standing maps to nothing. A wrong check
    /// character or an impossible birth date is flagged and the number pseudonymized as
    /// written: the same mistyped number in two records is still one person.
    pub(super) fn member(
        &self,
        row: &mut Row,
        texts: &mut Texts,
    ) -> std::result::Result<MemberRecord, Reject> {
        let k = SourceKind::Members;
        let raw = row.required(F::IdNumber)?;
        let masked = ids::mask_id_number(&raw);
        let flagged = |why: &str| format!("{why}; pseudonymized as written");
        let (id, problem) = match ids::parse_id_number(&raw) {
            IdNumber::Valid(id) => (id, None),
            IdNumber::BadCheck(id) => (id, Some(flagged("invalid check character"))),
            IdNumber::BadBirthDate(id) => (id, Some(flagged("impossible birth date"))),
            IdNumber::Malformed if values::is_scientific(&raw) => {
                return Err(row.reject(
                    F::IdNumber.as_str(),
                    IssueKind::Scientific,
                    SCIENTIFIC,
                    Some(&masked),
                ))
            }
            IdNumber::Malformed => {
                return Err(row.reject(
                    F::IdNumber.as_str(),
                    IssueKind::InvalidIdNumber,
                    "not a 15- or 18-character 公民身份号码",
                    Some(&masked),
                ))
            }
        };
        if let Some(why) = problem {
            if row.spec.invalid_check_digit == CheckPolicy::Reject {
                let kind = IssueKind::InvalidIdNumber;
                return Err(row.reject(F::IdNumber.as_str(), kind, why, Some(&masked)));
            }
            row.flag(
                F::IdNumber.as_str(),
                IssueKind::InvalidIdNumber,
                why,
                Some(masked),
            );
        }
        Ok(MemberRecord {
            member_key: self.key.pseudonym(&id),
            category: match row.text(F::Category) {
                // 转正日期 stands in where 人员类别 is not written: a 预备党员 has none.
                None if row.columns.index.contains_key(F::FormalDate.as_str()) => {
                    if row.yes(F::FormalDate) {
                        MemberCategory::Formal
                    } else {
                        MemberCategory::Probationary
                    }
                }
                _ => row.required_word(field(k, F::Category))?,
            },
            status: {
                let status = row.required_word(field(k, F::Status))?;
                // A separate 是否失联党员 column marks a member whose 党籍 is normal.
                if status == MemberStatus::Normal && row.yes(F::LostContact) {
                    MemberStatus::LostContact
                } else {
                    status
                }
            },
            org_id: texts.share_opt(row.text(F::OrgId).map(|id| ids::org_id_key(&id))),
            org_name_key: texts.share_opt(
                row.text(F::OrgName)
                    .map(|n| org_name_key(innermost_org(&n), &self.p.pipeline.name_prefixes)),
            ),
            // Where the member works, when the export or the 工作单位 text says.
            district_code: texts.share_opt(
                row.text(F::District)
                    .or_else(|| row.text(F::EmployerName))
                    .and_then(|t| self.p.district_in(&t)),
            ),
            employer: {
                let name_key = |n: &str| employer_key(n, &self.p.pipeline.name_prefixes);
                let mut employer =
                    row.unit_ref(F::EmployerUscc, F::EmployerName, name_key, texts)?;
                let without_district = employer
                    .name_key
                    .as_deref()
                    .and_then(|k| self.without_district(k));
                employer.name_key_without_district = texts.share_opt(without_district);
                texts.share_ref(employer)
            },
            lineage: row.lineage.clone(),
        })
    }
}

/// Unit kind from USCC characters 1-2 (registry and kind), where they say.
pub fn kind_of_uscc(uscc: &str) -> Option<UnitKind> {
    Some(match uscc.get(..2)? {
        "91" => UnitKind::PrivateEnterprise,
        "92" => UnitKind::IndividualBusiness,
        "93" => UnitKind::FarmerCoop,
        "51" => UnitKind::SocialGroup,
        "52" => UnitKind::PrivateNonEnterprise,
        "53" => UnitKind::Foundation,
        "31" => UnitKind::LawFirm,
        _ => return None,
    })
}
