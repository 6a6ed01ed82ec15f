-- A chat reply that carried an enrolment code was kept as it went out: with the activity for a week (a redelivery's
-- answer), in the outbox as sent for a week or as a dead letter for a month. A backup of those rows handed out live codes.
-- Such a reply is now kept sealed under a key the database does not hold (ReplySeal); the copies kept before are withheld
-- here. A message still waiting is left to be sent.
--
-- A handled activity's replies are kept only for a redelivery, which comes within minutes; and a reply quoting a code the
-- person typed (没看懂「AB12CD34」, a step's complaint) cannot be told by its text from one quoting anything else. So a
-- handled activity whose replies quote anything (「…」, or "…" written \" in the JSON) keeps its record with no replies:
-- a redelivery still changes nothing, it gets no answer. 发码's replies quote the bind command, so they are among them.
UPDATE bot_processed_activity SET replies_json = '[]' WHERE replies_json LIKE '%「%' OR replies_json LIKE '%\"%';
-- A sent or dead-lettered message is found by the text 发码 begins its reply with (after a greeting, a line's start), not
-- by words the help uses too ("issue an enrolment code for"): its text says a reply with a code was withheld, and a
-- dead letter keeps why it failed.
UPDATE bot_outbox SET activity_json = '{"type":"message","text":"（此回复含绑定码，已隐去 / a reply that carried an enrolment code, withheld）"}'
WHERE (sent_at IS NOT NULL OR dead_lettered_at IS NOT NULL)
    AND (activity_json LIKE '%生成绑定码：%' OR activity_json LIKE '%生成过绑定码，这个码仍然有效%'
        OR activity_json LIKE '%"text":"Enrolment code for %' OR activity_json LIKE '%\nEnrolment code for %'
        OR activity_json LIKE '%"text":"An enrolment code for % was issued at %' OR activity_json LIKE '%\nAn enrolment code for % was issued at %');
-- A code sent to an account asked to confirm a move was kept in its dialog (now its hash is): asked for again.
UPDATE chat_dialogs SET values_json = NULL WHERE verb = 'Bind' AND values_json IS NOT NULL;
