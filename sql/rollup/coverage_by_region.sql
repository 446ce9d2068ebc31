-- coverage_by_region (coverage rollup): the three coverage rates of the notice over many
-- deployments, at four levels — national (全国, 000000), province (first 2 digits of the
-- district code + 0000, GB/T 2260), city (first 4 + 00) and district — per sector.
--
-- Input: rollup_units (the in-scope units counted, each once), rollup_regions (every
-- region with its name), settings (the deployments' common rate_denominator).
-- Counts and rates are those of the monthly coverage_by_district, over the region:
--   units_in_scope (denominator by default), units_with_members, units_3plus_formal
--   (denominator "with conditions"), units_single_org (org_form single), units_joint_org
--   (joint), units_org_covered, units_work_covered, units_3plus_* (the same among the
--   3plus units), members_not_transferred 组织关系未转入党员数 (members);
--   org_coverage_rate 组织覆盖率, single_rate 单独组建率, work_coverage_rate 工作覆盖率 =
--   covered / denominator, NULL where it is 0.
-- Each figure is declared once, in src/figures.rs, and written out here one line per
-- figure, in plain SQL rather than through the monthly macros so that the file
-- transpiles to Spark SQL; the test of the roll-up checks that every district row equals
-- its deployment's coverage_by_district row, figure for figure. A count of a level is
-- the sum of the level below; every region appears, with zeros where it has no unit.
-- depends: rollup_units, rollup_regions, settings
-- output: rollup
CREATE TABLE coverage_by_region AS
WITH by_level AS (
    SELECT 'national' AS level, '000000' AS region_code, sector, {unit_columns} FROM rollup_units
    UNION ALL
    SELECT 'province' AS level, concat(left(district_code, 2), '0000') AS region_code, sector, {unit_columns} FROM rollup_units
    UNION ALL
    SELECT 'city' AS level, concat(left(district_code, 4), '00') AS region_code, sector, {unit_columns} FROM rollup_units
    UNION ALL
    SELECT 'district' AS level, district_code AS region_code, sector, {unit_columns} FROM rollup_units
),
counted AS (
    SELECT
        level, region_code, sector,
        {counted} AS {figure}
    FROM by_level
    GROUP BY level, region_code, sector
),
all_rows AS (
    SELECT
        r.level, r.region_code, r.region_name, s.sector,
        CAST(coalesce(c.{figure}, 0) AS BIGINT) AS {figure}
    FROM rollup_regions r
    CROSS JOIN (SELECT 'enterprise' AS sector UNION ALL SELECT 'social_org' AS sector) s
    LEFT JOIN counted c ON c.level = r.level AND c.region_code = r.region_code AND c.sector = s.sector
)
SELECT
    st.period, a.level, a.region_code, a.region_name, a.sector,
    a.{figure},
    st.rate_denominator,
    CASE st.rate_denominator WHEN 'formal_3plus' THEN CAST(a.{numerator_3plus} AS DOUBLE) / nullif(a.units_3plus_formal, 0) ELSE CAST(a.{numerator} AS DOUBLE) / nullif(a.units_in_scope, 0) END AS {rate}
FROM all_rows a
CROSS JOIN settings st
ORDER BY a.region_code, a.level, a.sector;
