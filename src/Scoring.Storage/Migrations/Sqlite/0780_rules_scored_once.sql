-- What a rule scores only once is data on the rule ("once" in each rule of rules_json), no longer read from its code:
-- a street that renames the rule, or adds a second of its kind, keeps the protection. The rules stored before carried it
-- in the default codes, so those rules (in any case, as codes are found) are marked as the code meant: the same shop's
-- reopening once a cycle, a day's missed round once. Every other rule, and every other field, is left as it was.
UPDATE rule_sets SET rules_json = (
    SELECT json_group_array(CASE lower(json_extract(r.value, '$.code'))
            WHEN 'shop-reopen-helped' THEN json_set(r.value, '$.once', 'TargetPerCycle')
            WHEN 'round-missed' THEN json_set(r.value, '$.once', 'SubjectPerDay')
            ELSE json(r.value) END)
    FROM json_each(rule_sets.rules_json) AS r)
WHERE EXISTS (SELECT 1 FROM json_each(rule_sets.rules_json) AS r
              WHERE lower(json_extract(r.value, '$.code')) IN ('shop-reopen-helped', 'round-missed'));
