-- list_items_by_district (销号进度): the 销号 ledger (list_items) counted per district
-- and list for the period, plus the city (district_code the city's, district_name 全市 =
-- sum of the districts).
-- columns:
--   open_at_start  items open at the end of the previous period present (those of
--                  list_items not opened this period that were open then)
--   opened         items opened this period
--   closed         items closed this period
--   closed_covered, closed_deregistered, closed_revoked, closed_moved_out,
--     closed_moved_district, closed_out_of_scope, closed_below_threshold,
--     closed_corrected, closed_absent  items closed this period for that close_reason
--                  (src/vocabulary.rs CloseReason; covered by met_by in list_items)
--   open_at_end    open_at_start + opened − closed
--   close_rate     销号率 of the period = closed / (open_at_start + opened); NULL where
--                  the district had no item open this period
--   listed_to_date  every item of list_items (ever opened)
--   closed_to_date  those of them closed
--   close_rate_to_date  closed_to_date / listed_to_date
-- An item counts in the district it was opened in (a unit that moves closes there as
-- moved_district and opens anew where it goes). Scope: every item of list_items.
-- depends: city_row_name, is_city, list_items, settings
-- output: table
CREATE TABLE list_items_by_district AS
WITH items AS (
    SELECT *,
        opened_period = period AS opened_now,
        closed_period = period AS closed_now,
        closed_period IS NULL AS open_now
    FROM list_items
),
counted AS (
    SELECT
        any_value(period) AS period,
        CASE WHEN GROUPING(items.district_code) = 1 THEN (SELECT city_code FROM settings) ELSE items.district_code END AS district_code,
        CASE WHEN GROUPING(items.district_code) = 1 THEN city_row_name() ELSE any_value(district_name) END AS district_name,
        list, any_value(list_name) AS list_name,
        count(*) FILTER (WHERE NOT opened_now AND (open_now OR closed_now)) AS open_at_start,
        count(*) FILTER (WHERE opened_now) AS opened,
        count(*) FILTER (WHERE closed_now) AS closed,
        count(*) FILTER (WHERE closed_now AND close_reason = 'covered') AS closed_covered,
        count(*) FILTER (WHERE closed_now AND close_reason = 'deregistered') AS closed_deregistered,
        count(*) FILTER (WHERE closed_now AND close_reason = 'revoked') AS closed_revoked,
        count(*) FILTER (WHERE closed_now AND close_reason = 'moved_out') AS closed_moved_out,
        count(*) FILTER (WHERE closed_now AND close_reason = 'moved_district') AS closed_moved_district,
        count(*) FILTER (WHERE closed_now AND close_reason = 'out_of_scope') AS closed_out_of_scope,
        count(*) FILTER (WHERE closed_now AND close_reason = 'below_threshold') AS closed_below_threshold,
        count(*) FILTER (WHERE closed_now AND close_reason = 'corrected') AS closed_corrected,
        count(*) FILTER (WHERE closed_now AND close_reason = 'absent') AS closed_absent,
        count(*) FILTER (WHERE open_now) AS open_at_end,
        count(*) AS listed_to_date,
        count(*) FILTER (WHERE NOT open_now) AS closed_to_date
    FROM items
    GROUP BY GROUPING SETS ((items.district_code, list), (list))
)
SELECT *,
    closed / nullif(open_at_start + opened, 0) AS close_rate,
    closed_to_date / nullif(listed_to_date, 0) AS close_rate_to_date
FROM counted
ORDER BY is_city(district_code), district_code, list;
