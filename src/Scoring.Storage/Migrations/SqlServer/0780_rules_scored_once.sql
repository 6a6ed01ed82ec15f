-- What a rule scores only once is data on the rule ("once" in each rule of rules_json), no longer read from its code:
-- a street that renames the rule, or adds a second of its kind, keeps the protection. The rules stored before carried it
-- in the default codes, so those rules (in any case, as codes are found) are marked as the code meant: the same shop's
-- reopening once a cycle, a day's missed round once. Every other rule, and every other field, is left as it was.
-- The array is put back together with FOR XML PATH rather than STRING_AGG, which SQL Server 2016 (the floor) lacks;
-- JSON_MODIFY takes only a literal path there, so each element is changed on its own ($.once) rather than by index.
UPDATE rule_sets SET rules_json = N'[' + STUFF((
    SELECT N',' + CASE LOWER(JSON_VALUE(r.[value], '$.code'))
            WHEN N'shop-reopen-helped' THEN JSON_MODIFY(r.[value], '$.once', N'TargetPerCycle')
            WHEN N'round-missed' THEN JSON_MODIFY(r.[value], '$.once', N'SubjectPerDay')
            ELSE r.[value] END
    FROM OPENJSON(rule_sets.rules_json) AS r
    ORDER BY CAST(r.[key] AS INT)
    FOR XML PATH(''), TYPE).value('.', 'NVARCHAR(MAX)'), 1, 1, N'') + N']'
WHERE EXISTS (SELECT 1 FROM OPENJSON(rule_sets.rules_json) AS r
              WHERE LOWER(JSON_VALUE(r.[value], '$.code')) IN (N'shop-reopen-helped', N'round-missed'));
