-- A chat reply that carried an enrolment code (发码) was kept as it went out: with the activity for a week (a redelivery's
-- answer), in the outbox as sent for a week or as a dead letter for a month. A backup of those rows handed out live codes.
-- Such a reply is now kept sealed under a key the database does not hold (ReplySeal); the copies kept before are withheld
-- here. The activity stays recorded as handled (a redelivery changes nothing; it gets no answer), and a dead letter keeps
-- why it failed. A message still waiting is left to be sent.
UPDATE bot_processed_activity SET replies_json = '[]'
WHERE replies_json LIKE N'%生成绑定码：%' OR replies_json LIKE N'%生成过绑定码%' OR replies_json LIKE N'%nrolment code for %';
UPDATE bot_outbox SET activity_json = N'{"type":"message","text":"（此回复含绑定码，已隐去 / a reply that carried an enrolment code, withheld）"}'
WHERE (sent_at IS NOT NULL OR dead_lettered_at IS NOT NULL)
    AND (activity_json LIKE N'%生成绑定码：%' OR activity_json LIKE N'%生成过绑定码%' OR activity_json LIKE N'%nrolment code for %');
-- A code sent to an account asked to confirm a move was kept in its dialog (now its hash is): asked for again.
UPDATE chat_dialogs SET values_json = NULL WHERE verb = 'Bind' AND values_json IS NOT NULL;
