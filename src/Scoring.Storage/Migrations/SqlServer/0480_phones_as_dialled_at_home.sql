-- Phones as dialled at home (RosterText.Phone): a mainland number stored with its country code (+86…, 0086…, 86 before a
-- mobile) loses it, a landline getting back its trunk 0 (a 400/800 service number none), so that one typed later without it finds the same person.
-- A landlord or shop head whose short form another subject of the street already holds keeps the long form (the
-- street office sees both in the roster and can merge them by hand).
-- subjects
UPDATE subjects SET phone = SUBSTRING(phone, 4, 20)
WHERE phone LIKE '+861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
  AND NOT EXISTS (SELECT 1 FROM subjects o WHERE o.street_id = subjects.street_id AND o.phone = SUBSTRING(subjects.phone, 4, 20));
UPDATE subjects SET phone = SUBSTRING(phone, 5, 20)
WHERE phone LIKE '00861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
  AND NOT EXISTS (SELECT 1 FROM subjects o WHERE o.street_id = subjects.street_id AND o.phone = SUBSTRING(subjects.phone, 5, 20));
UPDATE subjects SET phone = SUBSTRING(phone, 3, 20)
WHERE phone LIKE '861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
  AND NOT EXISTS (SELECT 1 FROM subjects o WHERE o.street_id = subjects.street_id AND o.phone = SUBSTRING(subjects.phone, 3, 20));
-- 400/800 service numbers: their ten digits, no trunk 0 (no area code)
UPDATE subjects SET phone = SUBSTRING(phone, 4, 20)
WHERE phone LIKE '+86[48]00[0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
  AND NOT EXISTS (SELECT 1 FROM subjects o WHERE o.street_id = subjects.street_id AND o.phone = SUBSTRING(subjects.phone, 4, 20));
UPDATE subjects SET phone = SUBSTRING(phone, 5, 20)
WHERE phone LIKE '0086[48]00[0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
  AND NOT EXISTS (SELECT 1 FROM subjects o WHERE o.street_id = subjects.street_id AND o.phone = SUBSTRING(subjects.phone, 5, 20));
UPDATE subjects SET phone = SUBSTRING(phone, 4, 20)
WHERE phone LIKE '+860%' AND LEN(phone) BETWEEN 13 AND 15
  AND NOT EXISTS (SELECT 1 FROM subjects o WHERE o.street_id = subjects.street_id AND o.phone = SUBSTRING(subjects.phone, 4, 20));
UPDATE subjects SET phone = '0' + SUBSTRING(phone, 4, 20)
WHERE phone LIKE '+86[1-9]%' AND LEN(phone) BETWEEN 12 AND 14 AND NOT phone LIKE '+861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' AND NOT phone LIKE '+86[48]00[0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
  AND NOT EXISTS (SELECT 1 FROM subjects o WHERE o.street_id = subjects.street_id AND o.phone = '0' + SUBSTRING(subjects.phone, 4, 20));
UPDATE subjects SET phone = SUBSTRING(phone, 5, 20)
WHERE phone LIKE '00860%' AND LEN(phone) BETWEEN 14 AND 16
  AND NOT EXISTS (SELECT 1 FROM subjects o WHERE o.street_id = subjects.street_id AND o.phone = SUBSTRING(subjects.phone, 5, 20));
UPDATE subjects SET phone = '0' + SUBSTRING(phone, 5, 20)
WHERE phone LIKE '0086[1-9]%' AND LEN(phone) BETWEEN 13 AND 15 AND NOT phone LIKE '00861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' AND NOT phone LIKE '0086[48]00[0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
  AND NOT EXISTS (SELECT 1 FROM subjects o WHERE o.street_id = subjects.street_id AND o.phone = '0' + SUBSTRING(subjects.phone, 5, 20));
-- tenants
UPDATE tenants SET phone = SUBSTRING(phone, 4, 20)
WHERE phone LIKE '+861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
UPDATE tenants SET phone = SUBSTRING(phone, 5, 20)
WHERE phone LIKE '00861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
UPDATE tenants SET phone = SUBSTRING(phone, 3, 20)
WHERE phone LIKE '861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
-- 400/800 service numbers: their ten digits, no trunk 0 (no area code)
UPDATE tenants SET phone = SUBSTRING(phone, 4, 20)
WHERE phone LIKE '+86[48]00[0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
UPDATE tenants SET phone = SUBSTRING(phone, 5, 20)
WHERE phone LIKE '0086[48]00[0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
UPDATE tenants SET phone = SUBSTRING(phone, 4, 20)
WHERE phone LIKE '+860%' AND LEN(phone) BETWEEN 13 AND 15;
UPDATE tenants SET phone = '0' + SUBSTRING(phone, 4, 20)
WHERE phone LIKE '+86[1-9]%' AND LEN(phone) BETWEEN 12 AND 14 AND NOT phone LIKE '+861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' AND NOT phone LIKE '+86[48]00[0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
UPDATE tenants SET phone = SUBSTRING(phone, 5, 20)
WHERE phone LIKE '00860%' AND LEN(phone) BETWEEN 14 AND 16;
UPDATE tenants SET phone = '0' + SUBSTRING(phone, 5, 20)
WHERE phone LIKE '0086[1-9]%' AND LEN(phone) BETWEEN 13 AND 15 AND NOT phone LIKE '00861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' AND NOT phone LIKE '0086[48]00[0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
-- staff
UPDATE staff SET phone = SUBSTRING(phone, 4, 20)
WHERE phone LIKE '+861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
UPDATE staff SET phone = SUBSTRING(phone, 5, 20)
WHERE phone LIKE '00861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
UPDATE staff SET phone = SUBSTRING(phone, 3, 20)
WHERE phone LIKE '861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
-- 400/800 service numbers: their ten digits, no trunk 0 (no area code)
UPDATE staff SET phone = SUBSTRING(phone, 4, 20)
WHERE phone LIKE '+86[48]00[0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
UPDATE staff SET phone = SUBSTRING(phone, 5, 20)
WHERE phone LIKE '0086[48]00[0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
UPDATE staff SET phone = SUBSTRING(phone, 4, 20)
WHERE phone LIKE '+860%' AND LEN(phone) BETWEEN 13 AND 15;
UPDATE staff SET phone = '0' + SUBSTRING(phone, 4, 20)
WHERE phone LIKE '+86[1-9]%' AND LEN(phone) BETWEEN 12 AND 14 AND NOT phone LIKE '+861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' AND NOT phone LIKE '+86[48]00[0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
UPDATE staff SET phone = SUBSTRING(phone, 5, 20)
WHERE phone LIKE '00860%' AND LEN(phone) BETWEEN 14 AND 16;
UPDATE staff SET phone = '0' + SUBSTRING(phone, 5, 20)
WHERE phone LIKE '0086[1-9]%' AND LEN(phone) BETWEEN 13 AND 15 AND NOT phone LIKE '00861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' AND NOT phone LIKE '0086[48]00[0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
