-- An operator can make every silo forget a PSP's breaker state and health window (after an incident is
-- over, or before a controlled test). The count only grows: each silo compares it with the last one it
-- applied, so a silo that missed a poll or started later still applies each reset at most once.
ALTER TABLE psp_settings ADD COLUMN health_resets bigint NOT NULL DEFAULT 0;
ALTER TABLE psp_settings ADD CONSTRAINT psp_settings_health_resets_counted CHECK (health_resets >= 0);
