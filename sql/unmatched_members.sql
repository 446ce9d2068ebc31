-- unmatched_members: member records that could not be placed in any unit (no own
-- organization with a known host; employer USCC, exact and scored name found nothing
-- sure enough). link_rule says which: `review` (candidates in link_review) or
-- `unmatched`. They count in no unit's figures; the list is the work queue for 工作单位.
-- Scope: every member record of the period, counted or not. Holds no ID number and
-- no name: member_key is the keyed pseudonym.
-- columns:
--   status  党员状态 (members.status)
-- depends: members
-- output: table
CREATE TABLE unmatched_members AS
SELECT
    period,
    member_key,
    category,
    status,
    org_id,
    employer_name,
    employer_uscc,
    link_rule,
    link_score,
    source,
    source_file,
    source_row
FROM members
WHERE unit_id IS NULL
ORDER BY source_file, source_row;
