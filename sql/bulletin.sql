-- bulletin (定期通报): per district and for the city (全市), every target of the campaign
-- (target_figures: value with its numerator and denominator) beside its previous and
-- baseline values, the districts' ranking, the gap to the target and the 销号 ledger.
-- columns:
--   previous_value, change_since_previous   the previous period present in the output
--                                           folder (previous_period); NULL for the first
--   baseline_value, change_since_baseline   the campaign's baseline period
--                                           (baseline_period: [campaign] baseline_period,
--                                           else the folder's first period)
--   baseline_period                         the baseline period
--   rank, districts_ranked                  rank among the districts by value, highest
--                                           first (ties share a rank; no rank for the city
--                                           or a NULL value), of districts with a value
--   target_value, met, gap, units_to_target  the district's own target (campaign_targets),
--                                           else the city's; gap = target − value where
--                                           below it, else 0 (NULL with the value);
--                                           units_to_target = units to
--                                           add to the numerator to reach the target
--                                           (ceil(target × denominator) − numerator, ≥ 0)
--   items_opened, items_closed, items_open  the district's 销号 ledger this period, all
--                                           lists (list_items_by_district): opened, closed,
--                                           open at the end — the same on each target row
-- Changes are differences of fractions. Scope: every district × target of target_figures.
-- depends: baseline_period, baseline_target_figures, campaign_targets, is_city, list_items_by_district, previous_period, previous_target_figures, target_figures
-- output: table
CREATE TABLE bulletin AS
WITH figures AS (
    SELECT *, is_city(district_code) AS is_city FROM target_figures
),
ranked AS (
    SELECT *,
        CASE WHEN NOT is_city AND value IS NOT NULL THEN
            rank() OVER (PARTITION BY target, is_city OR value IS NULL ORDER BY value DESC)
        END AS rank,
        count(value) FILTER (WHERE NOT is_city) OVER (PARTITION BY target) AS districts_ranked
    FROM figures
),
targets AS (
    SELECT f.district_code, f.target, coalesce(d.target_value, c.target_value) AS target_value
    FROM (SELECT DISTINCT district_code, target FROM figures) f
    JOIN campaign_targets c ON c.district_code IS NULL AND c.target = f.target
    LEFT JOIN campaign_targets d ON d.district_code = f.district_code AND d.target = f.target
),
items AS (
    SELECT district_code, sum(opened) AS items_opened, sum(closed) AS items_closed,
        sum(open_at_end) AS items_open
    FROM list_items_by_district GROUP BY district_code
)
SELECT
    r.period, r.district_code, r.district_name, r.target, c.target_name,
    r.numerator, r.denominator, r.value,
    pp.period AS previous_period, p.value AS previous_value, r.value - p.value AS change_since_previous,
    bp.period AS baseline_period,
    CASE WHEN bp.period = r.period THEN r.value ELSE b.value END AS baseline_value,
    r.value - CASE WHEN bp.period = r.period THEN r.value ELSE b.value END AS change_since_baseline,
    r.rank, r.districts_ranked,
    t.target_value, r.value >= t.target_value AS met,
    CASE WHEN r.value IS NOT NULL THEN greatest(t.target_value - r.value, 0) END AS gap,
    CASE WHEN r.value IS NOT NULL THEN
        greatest(ceil(round(t.target_value * r.denominator, 9)) - r.numerator, 0)::BIGINT
    END AS units_to_target,
    coalesce(i.items_opened, 0)::BIGINT AS items_opened,
    coalesce(i.items_closed, 0)::BIGINT AS items_closed,
    coalesce(i.items_open, 0)::BIGINT AS items_open
FROM ranked r
JOIN targets t USING (district_code, target)
JOIN campaign_targets c ON c.district_code IS NULL AND c.target = r.target
CROSS JOIN baseline_period bp
LEFT JOIN previous_period pp ON true
LEFT JOIN previous_target_figures p USING (district_code, target)
LEFT JOIN baseline_target_figures b USING (district_code, target)
LEFT JOIN items i USING (district_code)
ORDER BY r.is_city, r.district_code, r.target;
