-- coverage_by_district: the three coverage rates of the notice, per district and
-- sector, plus one city-total row per sector (district_name 全市 = sum of districts).
--
-- Scope: units of unit_status with in_scope = true (deregistered, revoked, moved-out,
-- state-owned, collective units and, by default, individual businesses and farmer
-- co-operatives are out of scope and counted in unit_status only).
-- Sector: enterprise (非公有制企业) | social_org (社会组织, incl. law/accounting/tax firms).
--
-- Counts (units_in_scope, units_with_members, units_3plus_formal, units_single_org,
-- units_joint_org, units_org_covered, units_work_covered and units_3plus_*): as
-- sql/coverage_counts.sql defines them, per district and sector. Rates
-- (org_coverage_rate 组织覆盖率, single_rate 单独组建率, work_coverage_rate 工作覆盖率)
-- and their denominator setting (rate_denominator: in_scope, or formal_3plus for the
-- units "with conditions"): as sql/coverage_rates.sql defines them.
-- members_not_transferred 组织关系未转入党员数 (a member count, not a unit count): the sum
-- of unit_status.members_not_transferred over the in-scope units — counted members
-- whose organization neither hosts nor covers the unit they work in.
-- Rates are fractions 0–1, NULL where the denominator is 0. Every district of the
-- pipeline file appears, with zeros where it has no unit.
-- depends: coverage_counts, coverage_rates, districts, settings, unit_status
-- output: table
CREATE TABLE coverage_by_district AS
WITH sectors AS (
    SELECT unnest(['enterprise', 'social_org']) AS sector
),
in_scope_units AS (
    SELECT district_code, sector, has_members, formal_3plus, org_form, org_covered, work_covered
    FROM unit_status
    WHERE in_scope
),
per_district AS (
    SELECT * FROM coverage_counts(in_scope_units)
),
relations AS (
    SELECT district_code, sector, sum(members_not_transferred) AS members_not_transferred
    FROM unit_status
    WHERE in_scope
    GROUP BY ALL
),
districts_rows AS (
    SELECT
        d.district_code,
        d.district_name,
        s.sector,
        coalesce(p.units_in_scope, 0)     AS units_in_scope,
        coalesce(p.units_with_members, 0) AS units_with_members,
        coalesce(p.units_3plus_formal, 0) AS units_3plus_formal,
        coalesce(p.units_single_org, 0)   AS units_single_org,
        coalesce(p.units_joint_org, 0)    AS units_joint_org,
        coalesce(p.units_org_covered, 0)  AS units_org_covered,
        coalesce(p.units_work_covered, 0) AS units_work_covered,
        coalesce(p.units_3plus_org_covered, 0)  AS units_3plus_org_covered,
        coalesce(p.units_3plus_single, 0)       AS units_3plus_single,
        coalesce(p.units_3plus_work_covered, 0) AS units_3plus_work_covered,
        coalesce(r.members_not_transferred, 0)  AS members_not_transferred,
        0 AS is_city
    FROM districts d
    CROSS JOIN sectors s
    LEFT JOIN per_district p USING (district_code, sector)
    LEFT JOIN relations r USING (district_code, sector)
),
city_rows AS (
    SELECT
        (SELECT city_code FROM settings) AS district_code,
        '全市'                            AS district_name,
        sector,
        sum(units_in_scope),
        sum(units_with_members),
        sum(units_3plus_formal),
        sum(units_single_org),
        sum(units_joint_org),
        sum(units_org_covered),
        sum(units_work_covered),
        sum(units_3plus_org_covered),
        sum(units_3plus_single),
        sum(units_3plus_work_covered),
        sum(members_not_transferred),
        1 AS is_city
    FROM districts_rows
    GROUP BY sector
),
all_rows AS (
    SELECT * FROM districts_rows
    UNION ALL
    SELECT * FROM city_rows
)
SELECT
    s.period                                                AS period,
    district_code,
    district_name,
    sector,
    units_in_scope::BIGINT                                  AS units_in_scope,
    units_with_members::BIGINT                              AS units_with_members,
    units_3plus_formal::BIGINT                              AS units_3plus_formal,
    units_single_org::BIGINT                                AS units_single_org,
    units_joint_org::BIGINT                                 AS units_joint_org,
    units_org_covered::BIGINT                               AS units_org_covered,
    units_work_covered::BIGINT                              AS units_work_covered,
    units_3plus_org_covered::BIGINT                         AS units_3plus_org_covered,
    units_3plus_single::BIGINT                              AS units_3plus_single,
    units_3plus_work_covered::BIGINT                        AS units_3plus_work_covered,
    members_not_transferred::BIGINT                         AS members_not_transferred,
    s.rate_denominator                                      AS rate_denominator,
    org_coverage_rate,
    single_rate,
    work_coverage_rate
FROM coverage_rates(all_rows)
CROSS JOIN settings s
ORDER BY sector, is_city, district_code;
