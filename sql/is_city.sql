-- is_city(code): whether a district_code is the city-total row's (全市): the pipeline's
-- city_code (settings.city_code), which no district has. Every table with a city row
-- (coverage_by_district, social_org_target, target_figures, bulletin, the ledger's and
-- the attachments' summaries …) tells it from the districts by this, never by its name.
-- No numerator or denominator.
-- depends: settings
-- output: macro
CREATE OR REPLACE MACRO is_city(code) AS code = (SELECT any_value(city_code) FROM settings);
