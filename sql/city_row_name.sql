-- city_row_name(): the name the city-total row goes by in every table that has one
-- (district_name 全市, beside the city's own code, settings.city_code). Said once here;
-- the row is told from the districts by its code (is_city), not by this name.
-- No numerator or denominator.
-- depends: -
-- output: macro
CREATE OR REPLACE MACRO city_row_name() AS '全市';
