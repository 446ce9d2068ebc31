-- coverage_trend (view): every figure of coverage_by_district, one row per period ×
-- district × sector × metric, for charts and year-on-year questions.
-- Numerator / denominator: as in coverage_by_district (counts, and rates as fractions).
-- Scope: every period the database holds (in a run's own database, the run's period).
-- columns:
--   value  the figure: a count, or a rate as a fraction 0–1 (NULL figures are left out)
-- depends: coverage_by_district, figures_long
-- output: view
CREATE OR REPLACE VIEW coverage_trend AS
SELECT * FROM figures_long('coverage_by_district');
