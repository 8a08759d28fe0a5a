-- Per-credential limits: business defaults, per-key and per-grant overrides.
ALTER TABLE "business" ADD COLUMN "calls_per_minute" INTEGER,
ADD COLUMN "sale_intents_per_day" INTEGER,
ADD COLUMN "refund_intents_per_day" INTEGER,
ADD COLUMN "refund_cents_per_day" INTEGER;

ALTER TABLE "api_key" ADD COLUMN "calls_per_minute" INTEGER,
ADD COLUMN "sale_intents_per_day" INTEGER,
ADD COLUMN "refund_intents_per_day" INTEGER,
ADD COLUMN "refund_cents_per_day" INTEGER;

ALTER TABLE "oauth_grant" ADD COLUMN "calls_per_minute" INTEGER,
ADD COLUMN "sale_intents_per_day" INTEGER,
ADD COLUMN "refund_intents_per_day" INTEGER,
ADD COLUMN "refund_cents_per_day" INTEGER;
