-- label(word_set, word): a canonical word as people read it — the Chinese label of the
-- `labels` table, which src/vocabulary.rs declares once for every set (unit_kind,
-- org_form, org_level, status, link_rule, sector, …). Every report shows words through
-- it. NULL stays NULL; a word the table lacks stays as written, so the label test of the
-- reports finds it rather than a blank cell hiding it. In coverage.duckdb, which holds
-- the labels of every period, the newest period's label is taken. No numerator or
-- denominator.
-- depends: labels
-- output: macro
CREATE OR REPLACE MACRO label(word_set, word) AS coalesce(
    (SELECT l.label FROM labels l WHERE l.vocabulary = word_set AND l.code = word
     ORDER BY l.period DESC LIMIT 1),
    word
);
