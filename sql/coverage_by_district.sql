-- coverage_by_district: the three coverage rates of the notice, per district and
-- sector, plus one city-total row per sector (district_name 全市 = sum of districts).
--
-- Scope: units of unit_status with in_scope = true (deregistered, revoked, moved-out,
-- state-owned, collective units and, by default, individual businesses and farmer
-- co-operatives are out of scope and counted in unit_status only).
-- Sector: enterprise (非公有制企业) | social_org (社会组织, incl. law/accounting/tax firms).
--
-- Counts (units_in_scope, units_with_members, units_3plus_formal, units_single_org,
-- units_joint_org, units_org_covered, units_work_covered, units_3plus_* and
-- members_not_transferred): as sql/coverage_counts.sql defines them, per district and
-- sector; each is declared once in src/figures.rs and written out here one line per
-- figure. Rates
-- (org_coverage_rate 组织覆盖率, single_rate 单独组建率, work_coverage_rate 工作覆盖率)
-- and their denominator setting (rate_denominator: in_scope, or formal_3plus for the
-- units "with conditions"): as sql/coverage_rates.sql defines them.
-- members_not_transferred 组织关系未转入党员数 (a member count, not a unit count): the sum
-- of unit_status.members_not_transferred over the in-scope units — counted members
-- whose organization neither hosts nor covers the unit they work in.
-- Rates are fractions 0–1, NULL where the denominator is 0. Every district of the
-- pipeline file appears, with zeros where it has no unit.
-- depends: city_row_name, coverage_counts, coverage_rates, districts, settings, unit_status
-- output: table
CREATE TABLE coverage_by_district AS
WITH sectors AS (
    SELECT unnest(['enterprise', 'social_org']) AS sector
),
in_scope_units AS (
    SELECT district_code, sector, {unit_columns}
    FROM unit_status
    WHERE in_scope
),
per_district AS (
    SELECT * FROM coverage_counts(in_scope_units)
),
districts_rows AS (
    SELECT
        d.district_code,
        d.district_name,
        s.sector,
        coalesce(p.{figure}, 0) AS {figure},
        0 AS is_city
    FROM districts d
    CROSS JOIN sectors s
    LEFT JOIN per_district p USING (district_code, sector)
),
city_rows AS (
    SELECT
        (SELECT city_code FROM settings) AS district_code,
        city_row_name()                   AS district_name,
        sector,
        sum({figure}) AS {figure},
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
    s.period AS period,
    district_code,
    district_name,
    sector,
    {figure}::BIGINT AS {figure},
    s.rate_denominator AS rate_denominator,
    {rate}
FROM coverage_rates(all_rows)
CROSS JOIN settings s
ORDER BY sector, is_city, district_code;
