-- Phones as dialled at home (RosterText.Phone): a mainland number stored with its country code (+86…, 0086…, 86 before a
-- mobile) loses it — a mobile keeps its 11 digits, a 400/800 service number its 10, a landline gets back its trunk 0 —
-- so that one typed later without it finds the same person. The rules are written once, as a table of each stored long
-- form and its short form. A landlord or shop head keeps the long form when another subject of the street holds the
-- short one or would get it too (the street office sees both in the roster and merges them by hand).
CREATE TEMP TABLE phone_forms (long_form TEXT PRIMARY KEY, short_form TEXT NOT NULL);
INSERT INTO phone_forms (long_form, short_form)
SELECT phone, short_form
FROM (SELECT phone, CASE
            WHEN national_number GLOB '1[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' OR national_number GLOB '[48]00[0-9][0-9][0-9][0-9][0-9][0-9][0-9]' THEN national_number
            WHEN national_number GLOB '0*' THEN CASE WHEN length(national_number) BETWEEN 10 AND 12 THEN national_number END
            WHEN length(national_number) BETWEEN 9 AND 11 THEN '0' || national_number
        END AS short_form
    FROM (SELECT phone, CASE
                WHEN phone GLOB '+86*' THEN substr(phone, 4)
                WHEN phone GLOB '0086*' THEN substr(phone, 5)
                WHEN phone GLOB '861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' THEN substr(phone, 3)
            END AS national_number
        FROM (SELECT phone FROM subjects UNION SELECT phone FROM tenants UNION SELECT phone FROM staff))
    WHERE national_number <> '' AND national_number NOT GLOB '*[^0-9]*')
WHERE short_form IS NOT NULL;

CREATE TEMP TABLE subject_phones AS
SELECT s.id, s.street_id, f.short_form FROM subjects s JOIN phone_forms f ON f.long_form = s.phone;
UPDATE subjects SET phone = (SELECT p.short_form FROM subject_phones p WHERE p.id = subjects.id)
WHERE id IN (SELECT p.id FROM subject_phones p
             WHERE NOT EXISTS (SELECT 1 FROM subjects o WHERE o.street_id = p.street_id AND o.phone = p.short_form)
               AND NOT EXISTS (SELECT 1 FROM subject_phones q WHERE q.street_id = p.street_id AND q.short_form = p.short_form AND q.id <> p.id));
UPDATE tenants SET phone = (SELECT f.short_form FROM phone_forms f WHERE f.long_form = tenants.phone)
WHERE phone IN (SELECT long_form FROM phone_forms);
UPDATE staff SET phone = (SELECT f.short_form FROM phone_forms f WHERE f.long_form = staff.phone)
WHERE phone IN (SELECT long_form FROM phone_forms);
DROP TABLE subject_phones;
DROP TABLE phone_forms;
