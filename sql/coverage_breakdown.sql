-- coverage_breakdown: the three rates by other dimensions than the district — street,
-- park, commercial building, unit kind, industry (GB/T 4754 section), focus group and
-- size band — per sector, city-wide. Same definitions and denominator setting as
-- coverage_by_district (see that file); one row per dimension, value and sector.
-- focus: 外商投资 (foreign-invested enterprises), 互联网 (GB/T 4754 division 64 or
--   section I with 网络/互联网 in the name), 文化创意 (section R or 文化/传媒/创意 in the
--   name) — the groups the notice names (§2.5); other units are not in this dimension.
-- columns:
--   dimension  the dimension: street, park, building, unit_kind, industry, focus or
--              size_band
--   value  the dimension's value (a street's name, an industry section …); 未填报
--          where the unit gives none
-- size_band by employees: 1–9, 10–49, 50–99, 100–299, 300+, 未知.
-- Units without a value for a dimension (no park, no building) are grouped under 未填报.
-- depends: coverage_counts, coverage_rates, settings, unit_status
-- output: table
CREATE TABLE coverage_breakdown AS
WITH base AS (
    SELECT
        sector,
        coalesce(district_name || street, '未填报') AS street,
        coalesce(park, '未填报') AS park,
        coalesce(building, '未填报') AS building,
        unit_kind,
        coalesce(industry, '未填报') AS industry,
        CASE
            WHEN unit_kind = 'foreign_enterprise' THEN '外商投资'
            WHEN industry LIKE 'I64%' OR (industry LIKE 'I%' AND (name LIKE '%网络%' OR name LIKE '%互联网%')) THEN '互联网'
            WHEN industry LIKE 'R%' OR name LIKE '%文化%' OR name LIKE '%传媒%' OR name LIKE '%创意%' THEN '文化创意'
        END AS focus,
        CASE
            WHEN employees IS NULL THEN '未知'
            WHEN employees < 10 THEN '1–9'
            WHEN employees < 50 THEN '10–49'
            WHEN employees < 100 THEN '50–99'
            WHEN employees < 300 THEN '100–299'
            ELSE '300+'
        END AS size_band,
        {unit_columns}
    FROM unit_status
    WHERE in_scope
),
long AS (
    UNPIVOT base
    ON street, park, building, unit_kind, industry, focus, size_band
    INTO NAME dimension VALUE value
),
counts AS (
    SELECT * FROM coverage_counts(long)
)
SELECT
    s.period, dimension, value, sector,
    units_in_scope, units_org_covered, units_single_org, units_work_covered, units_3plus_formal,
    org_coverage_rate, single_rate, work_coverage_rate
FROM coverage_rates(counts)
CROSS JOIN settings s
ORDER BY dimension, sector, value;
