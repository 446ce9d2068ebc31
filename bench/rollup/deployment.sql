-- One synthetic deployment's published tables for the roll-up benchmark
-- (bench/rollup.sh): ${UNITS} units of province ${PROVINCE}, in its one city
-- ${PROVINCE}01 and its 10 districts, with unit_status's flags drawn from a hash of the
-- unit and ${SEED}, consistent with one another (organization coverage = own or joint
-- organization; work coverage = any organization, or an instructor for a third of the
-- rest). Only the columns the roll-up reads; what a coverage run publishes has more.
COPY (
    WITH u AS (
        SELECT
            i,
            hash(i, ${SEED}) AS h
        FROM range(${UNITS}) t(i)
    ),
    drawn AS (
        SELECT
            i,
            h,
            CASE h % 4 WHEN 0 THEN 'single' WHEN 1 THEN 'joint' WHEN 2 THEN 'functional' ELSE 'none' END AS org_form,
            (h // 4) % 3 > 0 AS has_members,
            (h // 12) % 4 = 0 AS formal_3plus
        FROM u
    )
    SELECT
        'U${PROVINCE}-' || i AS unit_id,
        CASE WHEN i % 10 <> 0 THEN '91${PROVINCE}01' || lpad(i::VARCHAR, 10, '0') END AS uscc,
        '单位' || i AS name,
        '${PROVINCE}01' || lpad((1 + i % 10)::VARCHAR, 2, '0') AS district_code,
        CASE WHEN (h // 48) % 5 = 0 THEN 'social_org' ELSE 'enterprise' END AS sector,
        has_members,
        formal_3plus AND has_members AS formal_3plus,
        org_form,
        org_form IN ('single', 'joint') AS org_covered,
        org_form <> 'none' OR (h // 240) % 3 = 0 AS work_covered,
        (h // 720) % 20 <> 0 AS in_scope
    FROM drawn
) TO '${DIR}/parquet/unit_status/period=2026-11/data.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY (
    SELECT '${PROVINCE}01' || lpad(d::VARCHAR, 2, '0') AS district_code, '第' || d || '区' AS district_name
    FROM range(1, 11) t(d)
    UNION ALL
    SELECT '${PROVINCE}0100', '全市'
) TO '${DIR}/parquet/coverage_by_district/period=2026-11/data.parquet' (FORMAT parquet);
