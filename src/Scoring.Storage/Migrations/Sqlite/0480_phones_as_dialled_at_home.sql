-- Phones as dialled at home (RosterText.Phone): a mainland number stored with its country code (+86…, 0086…, 86 before a
-- mobile) loses it, a landline getting back its trunk 0 (a 400/800 service number none), so that one typed later without it finds the same person.
-- A landlord or shop head whose short form another subject of the street already holds keeps the long form (the
-- street office sees both in the roster and can merge them by hand).
-- subjects
UPDATE subjects SET phone = substr(phone, 4)
WHERE phone GLOB '+861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
  AND NOT EXISTS (SELECT 1 FROM subjects o WHERE o.street_id = subjects.street_id AND o.phone = substr(subjects.phone, 4));
UPDATE subjects SET phone = substr(phone, 5)
WHERE phone GLOB '00861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
  AND NOT EXISTS (SELECT 1 FROM subjects o WHERE o.street_id = subjects.street_id AND o.phone = substr(subjects.phone, 5));
UPDATE subjects SET phone = substr(phone, 3)
WHERE phone GLOB '861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
  AND NOT EXISTS (SELECT 1 FROM subjects o WHERE o.street_id = subjects.street_id AND o.phone = substr(subjects.phone, 3));
-- 400/800 service numbers: their ten digits, no trunk 0 (no area code)
UPDATE subjects SET phone = substr(phone, 4)
WHERE phone GLOB '+86[48]00[0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
  AND NOT EXISTS (SELECT 1 FROM subjects o WHERE o.street_id = subjects.street_id AND o.phone = substr(subjects.phone, 4));
UPDATE subjects SET phone = substr(phone, 5)
WHERE phone GLOB '0086[48]00[0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
  AND NOT EXISTS (SELECT 1 FROM subjects o WHERE o.street_id = subjects.street_id AND o.phone = substr(subjects.phone, 5));
UPDATE subjects SET phone = substr(phone, 4)
WHERE phone GLOB '+860*' AND length(phone) BETWEEN 13 AND 15
  AND NOT EXISTS (SELECT 1 FROM subjects o WHERE o.street_id = subjects.street_id AND o.phone = substr(subjects.phone, 4));
UPDATE subjects SET phone = '0' || substr(phone, 4)
WHERE phone GLOB '+86[1-9]*' AND length(phone) BETWEEN 12 AND 14 AND NOT phone GLOB '+861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' AND NOT phone GLOB '+86[48]00[0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
  AND NOT EXISTS (SELECT 1 FROM subjects o WHERE o.street_id = subjects.street_id AND o.phone = '0' || substr(subjects.phone, 4));
UPDATE subjects SET phone = substr(phone, 5)
WHERE phone GLOB '00860*' AND length(phone) BETWEEN 14 AND 16
  AND NOT EXISTS (SELECT 1 FROM subjects o WHERE o.street_id = subjects.street_id AND o.phone = substr(subjects.phone, 5));
UPDATE subjects SET phone = '0' || substr(phone, 5)
WHERE phone GLOB '0086[1-9]*' AND length(phone) BETWEEN 13 AND 15 AND NOT phone GLOB '00861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' AND NOT phone GLOB '0086[48]00[0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
  AND NOT EXISTS (SELECT 1 FROM subjects o WHERE o.street_id = subjects.street_id AND o.phone = '0' || substr(subjects.phone, 5));
-- tenants
UPDATE tenants SET phone = substr(phone, 4)
WHERE phone GLOB '+861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
UPDATE tenants SET phone = substr(phone, 5)
WHERE phone GLOB '00861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
UPDATE tenants SET phone = substr(phone, 3)
WHERE phone GLOB '861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
-- 400/800 service numbers: their ten digits, no trunk 0 (no area code)
UPDATE tenants SET phone = substr(phone, 4)
WHERE phone GLOB '+86[48]00[0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
UPDATE tenants SET phone = substr(phone, 5)
WHERE phone GLOB '0086[48]00[0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
UPDATE tenants SET phone = substr(phone, 4)
WHERE phone GLOB '+860*' AND length(phone) BETWEEN 13 AND 15;
UPDATE tenants SET phone = '0' || substr(phone, 4)
WHERE phone GLOB '+86[1-9]*' AND length(phone) BETWEEN 12 AND 14 AND NOT phone GLOB '+861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' AND NOT phone GLOB '+86[48]00[0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
UPDATE tenants SET phone = substr(phone, 5)
WHERE phone GLOB '00860*' AND length(phone) BETWEEN 14 AND 16;
UPDATE tenants SET phone = '0' || substr(phone, 5)
WHERE phone GLOB '0086[1-9]*' AND length(phone) BETWEEN 13 AND 15 AND NOT phone GLOB '00861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' AND NOT phone GLOB '0086[48]00[0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
-- staff
UPDATE staff SET phone = substr(phone, 4)
WHERE phone GLOB '+861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
UPDATE staff SET phone = substr(phone, 5)
WHERE phone GLOB '00861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
UPDATE staff SET phone = substr(phone, 3)
WHERE phone GLOB '861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
-- 400/800 service numbers: their ten digits, no trunk 0 (no area code)
UPDATE staff SET phone = substr(phone, 4)
WHERE phone GLOB '+86[48]00[0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
UPDATE staff SET phone = substr(phone, 5)
WHERE phone GLOB '0086[48]00[0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
UPDATE staff SET phone = substr(phone, 4)
WHERE phone GLOB '+860*' AND length(phone) BETWEEN 13 AND 15;
UPDATE staff SET phone = '0' || substr(phone, 4)
WHERE phone GLOB '+86[1-9]*' AND length(phone) BETWEEN 12 AND 14 AND NOT phone GLOB '+861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' AND NOT phone GLOB '+86[48]00[0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
UPDATE staff SET phone = substr(phone, 5)
WHERE phone GLOB '00860*' AND length(phone) BETWEEN 14 AND 16;
UPDATE staff SET phone = '0' || substr(phone, 5)
WHERE phone GLOB '0086[1-9]*' AND length(phone) BETWEEN 13 AND 15 AND NOT phone GLOB '00861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' AND NOT phone GLOB '0086[48]00[0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
