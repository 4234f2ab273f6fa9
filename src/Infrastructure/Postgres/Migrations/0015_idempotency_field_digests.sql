-- A refusal of a key reused with a different request names the fields that differ, so the key keeps one short
-- digest per request field (a JSON object: field name -> hex digest; never a value). Null for keys stored before:
-- their refusals name no field.
ALTER TABLE idempotency_keys ADD COLUMN field_digests text;
